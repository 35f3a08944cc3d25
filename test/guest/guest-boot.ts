/**
 * One boot of the real guest, bounded: start the domain, read its DHCP lease while it runs (it
 * releases the lease when it shuts down), log in over ssh once the harvest unit has saved
 * cloud-init's state, run the test's checks there and power the guest off; the guest powers
 * itself off in any case (see scripts/build-guest-image.sh). A guest still running at the
 * deadline is destroyed and the console's last lines are in the error.
 */
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { TestLibvirtd } from "../helpers/libvirtd.js";
import { sshGuest, type SshKey } from "./guest-ssh.js";

/** What is needed to boot one guest and reach it. */
export interface BootOptions {
  readonly libvirt: TestLibvirtd;
  /** The namespace holding the guest's network (ssh runs there). */
  readonly ns: string;
  readonly name: string;
  readonly mac: string;
  readonly network: string;
  readonly key: SshKey;
  /** Shell command run over ssh once the guest is configured; its output is returned. */
  readonly sshCommand: string;
  /** The serial console's log, quoted on failure. */
  readonly console: string;
  readonly timeoutMs: number;
}

/** What the test saw while the guest ran; times in seconds from `virsh start`. */
export interface BootRun {
  /** The guest's leased address. */
  readonly address: string | undefined;
  /** The ssh command's output, or undefined when no login succeeded. */
  readonly ssh: string | undefined;
  /** The last ssh failure, to explain a missing login. */
  readonly sshError: string | undefined;
  readonly leaseAfter: number | undefined;
  readonly sshAfter: number | undefined;
  readonly offAfter: number;
}

/** Written by the harvest unit in the image once it has saved cloud-init's state. */
const HARVESTED = "/var/lib/mdserver-test/done";
const POLL_MS = 2000;

/** Boots the (defined, stopped) guest and waits until it has powered off. */
export async function bootGuest(options: BootOptions): Promise<BootRun> {
  const { libvirt, name } = options;
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  let address: string | undefined;
  let leaseAfter: number | undefined;
  let ssh: string | undefined;
  let sshAfter: number | undefined;
  let sshError: string | undefined;
  await libvirt.virsh("start", name);
  for (let poll = 0; poll < options.timeoutMs / POLL_MS + 1; poll++) {
    if ((await libvirt.virsh("domstate", name)).trim() === "shut off") {
      return { address, ssh, sshError, leaseAfter, sshAfter, offAfter: seconds() };
    }
    if (address === undefined) {
      address = await leasedAddress(libvirt, options.network, options.mac);
      if (address !== undefined) leaseAfter = seconds();
    } else if (ssh === undefined) {
      try {
        ssh = await sshGuest(
          options.ns,
          options.key,
          address,
          `test -f ${HARVESTED} && { ${options.sshCommand}; }`,
        );
        sshAfter = seconds();
        await sshGuest(options.ns, options.key, address, "sudo systemctl poweroff --no-block");
      } catch (error) {
        sshError = error instanceof Error ? error.message : String(error);
      }
    }
    if (Date.now() - started > options.timeoutMs) break;
    await sleep(POLL_MS);
  }
  await libvirt.virsh("destroy", name).catch(() => undefined);
  throw new Error(
    `${name} did not power off within ${options.timeoutMs / 1000} s (lease: ${address ?? "none"}, ` +
      `ssh: ${sshError ?? "not tried"}); the console's last lines:\n${await consoleTail(options.console)}`,
  );
}

/** The address leased to `mac` on `network`, as libvirt reports it. */
async function leasedAddress(libvirt: TestLibvirtd, network: string, mac: string) {
  const leases = await libvirt.virsh("net-dhcp-leases", network, "--mac", mac);
  return /\s(\d+\.\d+\.\d+\.\d+)\/\d+\s/.exec(leases)?.[1];
}

/** The last lines of the guest's serial console. */
export async function consoleTail(file: string, lines = 40): Promise<string> {
  const text = await readFile(file, "utf8").catch((error: Error) => `(${error.message})`);
  return text.split("\n").slice(-lines).join("\n");
}
