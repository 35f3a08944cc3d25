/**
 * Network namespaces for system tests: the host side where libvirtd and mdserver run, and
 * stand-in guests joined to a libvirt bridge by a veth with the guest's MAC. Traffic stays
 * inside namespaces the test created. Everything is removed by the test's Teardown.
 */
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "./daemon.js";
import type { Teardown } from "./teardown.js";

/** Creates namespace `name` with loopback up; removed at teardown. */
export async function createNetns(teardown: Teardown, name: string): Promise<string> {
  await run("ip", ["netns", "add", name]);
  teardown.add(`delete namespace ${name}`, () => run("ip", ["netns", "del", name]));
  await run("ip", ["-n", name, "link", "set", "lo", "up"]);
  return name;
}

/** Runs a command inside a namespace. */
export function inNetns(ns: string, command: string, args: readonly string[], timeoutMs?: number) {
  return run("ip", ["netns", "exec", ns, command, ...args], timeoutMs);
}

/** An HTTP answer as curl saw it. */
export interface CurlResult {
  readonly status: number;
  readonly body: string;
}

/** A stand-in guest: a namespace whose eth0 is plugged into a bridge in the host namespace. */
export interface Guest {
  readonly ns: string;
  readonly mac: string;
  /** Asks for a DHCP lease (busybox udhcpc) and configures it; resolves with the address. */
  dhcp(): Promise<string>;
  /** GETs a path from the metadata address. */
  get(path: string): Promise<CurlResult>;
}

/** Where to plug a stand-in guest in. */
export interface GuestOptions {
  readonly name: string;
  readonly mac: string;
  /** Namespace holding the bridge (libvirtd's). */
  readonly hostNs: string;
  readonly bridge: string;
  /** A directory for the udhcpc script. */
  readonly dir: string;
}

/** The metadata address guests ask. */
export const METADATA_ADDRESS = "169.254.169.254";

/** Creates a guest namespace and plugs it into the bridge; removed at teardown. */
export async function addGuest(teardown: Teardown, options: GuestOptions): Promise<Guest> {
  const ns = await createNetns(teardown, options.name);
  const hostEnd = `${options.name.slice(0, 11)}-h`;
  // Created inside the guest namespace, host end moved out: deleting the namespace removes both.
  await inNetns(ns, "ip", ["link", "add", "eth0", "type", "veth", "peer", "name", hostEnd]);
  await run("ip", ["-n", ns, "link", "set", hostEnd, "netns", options.hostNs]);
  await run("ip", ["-n", ns, "link", "set", "eth0", "address", options.mac, "up"]);
  await run("ip", ["-n", options.hostNs, "link", "set", hostEnd, "master", options.bridge, "up"]);
  const script = join(options.dir, "udhcpc.script");
  await writeFile(
    script,
    `#!/bin/sh
# busybox udhcpc calls this with the lease in the environment.
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    ip route replace ${METADATA_ADDRESS}/32 dev "$interface"
    ;;
esac
exit 0
`,
  );
  await chmod(script, 0o755);
  return {
    ns,
    mac: options.mac,
    async dhcp() {
      // -n: give up without a lease; -q: exit once bound; 6 tries, 1 s apart.
      await inNetns(
        ns,
        "busybox",
        ["udhcpc", "-i", "eth0", "-n", "-q", "-f", "-t", "6", "-T", "1", "-s", script],
        20_000,
      );
      const shown = await run("ip", ["-n", ns, "-4", "-o", "addr", "show", "dev", "eth0"]);
      const address = /inet (\d+\.\d+\.\d+\.\d+)\//.exec(shown)?.[1];
      if (address === undefined) throw new Error(`${ns}: no address after DHCP`);
      return address;
    },
    async get(path) {
      const out = await inNetns(ns, "curl", [
        "-s",
        "-m",
        "5",
        "-w",
        "\n%{http_code}",
        `http://${METADATA_ADDRESS}${path}`,
      ]);
      const cut = out.lastIndexOf("\n");
      return { status: Number(out.slice(cut + 1)), body: out.slice(0, cut) };
    },
  };
}
