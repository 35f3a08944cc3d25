/**
 * `[mdserver] manage_address = yes` on a real libvirtd in a namespace of the test's own:
 * mdserver puts 169.254.169.254 and fd00:ec2::254 on the bridge of its network, listens on
 * them, and puts them back when libvirt re-creates the network (destroy and start: a new
 * bridge without them), from the network's lifecycle event.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run, startDaemon, type Daemon } from "../helpers/daemon.js";
import { eventually } from "../helpers/eventually.js";
import { TestLibvirtd } from "../helpers/libvirtd.js";
import { createNetns, inNetns, METADATA_ADDRESS } from "../helpers/netns.js";
import { Teardown } from "../helpers/teardown.js";
import { tempDir } from "../helpers/test-server.js";

const MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));
const V6 = "fd00:ec2::254";

/** The addresses on `bridge` in namespace `ns`. */
async function bridgeAddresses(ns: string, bridge: string): Promise<string[]> {
  const out = await run("ip", ["-n", ns, "-j", "addr", "show", "dev", bridge]);
  const links = JSON.parse(out || "[]") as Array<{
    addr_info?: Array<{ local: string; prefixlen: number }>;
  }>;
  return links.flatMap((l) => l.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

/** The status mdserver answers the host itself with (a stranger: 404), through `address`. */
async function status(ns: string, address: string): Promise<string> {
  const host = address.includes(":") ? `[${address}]` : address;
  return inNetns(ns, "curl", [
    "-s",
    "-o",
    "/dev/null",
    "-m",
    "5",
    "-w",
    "%{http_code}",
    `http://${host}/`,
  ]);
}

const messages = (server: Daemon, msg: string) =>
  server.lines.filter((line) => line.includes(`"msg":"${msg}"`)).length;

test("manage_address: the metadata addresses on the bridge, and back after libvirt re-creates it", async (t) => {
  const teardown = new Teardown(t);
  const dir = await tempDir(t, "mdserver-address-");
  const id = randomBytes(2).toString("hex");
  const net = `mdsa-${id}`;
  const bridge = `mdsab-${id}`;
  const hostNs = await createNetns(teardown, `mdsah-${id}`);
  const libvirt = await TestLibvirtd.start(teardown, { ns: hostNs, dir });
  await libvirt.defineNetwork(
    teardown,
    net,
    `<network><name>${net}</name><bridge name="${bridge}" stp="off" delay="0"/>
  <ip address="10.214.0.1" netmask="255.255.255.0"/>
  <ip family="ipv6" address="fd00:214::1" prefix="64"/></network>`,
  );
  // libvirt turns IPv6 off on a bridge whose network has no IPv6 address: this one has one.
  assert.ok((await bridgeAddresses(hostNs, bridge)).includes("10.214.0.1/24"));

  await mkdir(join(dir, "no-lease-files"));
  const conf = join(dir, "mdserver.conf");
  await writeFile(
    conf,
    `[mdserver]
listen_address = ${METADATA_ADDRESS}, ${V6}
port = 80
logfile = -
loglevel = debug
manage_address = yes
boot_reports_file = ${join(dir, "boot-reports.json")}

[libvirt]
timeout = 5

[dnsmasq]
net_name = ${net}
base_dir = ${join(dir, "no-lease-files")}
`,
  );
  const server = startDaemon("ip", ["netns", "exec", hostNs, process.execPath, MAIN, conf]);
  teardown.add("stop mdserver", () => server.stop());
  // The metadata listeners (the admin side, on loopback, logs "listening" too).
  const listening = () =>
    server.lines.filter(
      (l) => l.includes('"listener":"metadata"') && l.includes('"msg":"listening"'),
    ).length;
  await eventually(
    "mdserver to listen on both addresses",
    () => {
      if (server.exited || listening() < 2) throw new Error(server.lines.join("\n"));
      return true;
    },
    { timeoutMs: 30_000 },
  );
  // Both were there before it listened: no "address not present yet".
  assert.equal(messages(server, "address not present yet; will keep trying to listen"), 0);
  const expected = ["10.214.0.1/24", "fd00:214::1/64", `${METADATA_ADDRESS}/32`, `${V6}/128`];
  const onBridge = async () =>
    (await bridgeAddresses(hostNs, bridge)).filter((a) => !a.startsWith("fe80:"));
  assert.deepEqual((await onBridge()).sort(), expected.sort());
  assert.equal(await status(hostNs, METADATA_ADDRESS), "404");
  assert.equal(await status(hostNs, V6), "404");
  assert.equal(messages(server, "metadata address put on the bridge"), 2);

  // libvirt re-creates the network: a new bridge, without the addresses.
  await libvirt.virsh("net-destroy", net);
  await libvirt.virsh("net-start", net);
  await eventually(
    "the addresses back on the new bridge (by the Started event, or at worst the 30 s check)",
    async () => {
      if ((await onBridge()).length < 4)
        throw new Error(server.lines.filter((l) => /event|manage_address/i.test(l)).join("\n"));
      return true;
    },
    { timeoutMs: 45_000 },
  );
  assert.deepEqual((await onBridge()).sort(), expected.sort());
  assert.equal(messages(server, "metadata address put on the bridge"), 4);
  // The same sockets answer again.
  await eventually(
    "answers on the metadata address again",
    async () => (await status(hostNs, METADATA_ADDRESS)) === "404",
  );
  assert.equal(await status(hostNs, V6), "404");
  assert.equal(listening(), 2, "no new listener was needed");
  assert.equal(messages(server, "cannot put the metadata address on the network's bridge"), 0);
});
