/**
 * guest-setup and network-setup on a real libvirtd, in a namespace this test created, with an
 * isolated network (real dnsmasq) and a running and a stopped domain. mdserver's start-up log
 * first warns about both problems; the commands fix them (the rest of each definition byte for
 * byte as it was); after a network restart a stand-in guest gets the option-121 route by DHCP
 * (busybox udhcpc), follows it to 169.254.169.254 and reads its OpenStack metadata.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run, startDaemon } from "../helpers/daemon.js";
import { runCli } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { TestLibvirtd } from "../helpers/libvirtd.js";
import { addGuest, createNetns, inNetns, METADATA_ADDRESS } from "../helpers/netns.js";
import { Teardown } from "../helpers/teardown.js";
import { tempDir } from "../helpers/test-server.js";
import { plainDomainXml, withoutSetup } from "./helpers/domain-xml.js";

const MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));
const GATEWAY = "10.214.0.1";

function isolatedNetworkXml(name: string, bridge: string, mac: string): string {
  return `<network>
  <name>${name}</name>
  <bridge name="${bridge}" stp="off" delay="0"/>
  <ip address="${GATEWAY}" netmask="255.255.255.0">
    <dhcp><range start="10.214.0.100" end="10.214.0.200"/><host mac="${mac}" ip="10.214.0.11"/></dhcp>
  </ip>
</network>`;
}

/** udhcpc's script: the address, and the classless routes it was given, applied and recorded. */
function udhcpcScript(record: string): string {
  return `#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    echo "staticroutes=$staticroutes" > ${record}
    set -- $staticroutes
    while [ $# -ge 2 ]; do ip route replace "$1" via "$2" dev "$interface"; shift 2; done
    ;;
esac
exit 0
`;
}

test("a real libvirtd: guest-setup and network-setup make an isolated guest find mdserver", async (t) => {
  const teardown = new Teardown(t);
  const dir = await tempDir(t, "mdserver-setup-");
  const id = randomBytes(2).toString("hex");
  const net = `mdsu-${id}`;
  const bridge = `mdsubr-${id}`;
  const mac = `52:54:00:${id.slice(0, 2)}:${id.slice(2)}:11`;
  const running = `${net}-run`;
  const stopped = `${net}-off`;

  const hostNs = await createNetns(teardown, `mdsuh-${id}`);
  const libvirt = await TestLibvirtd.start(teardown, { ns: hostNs, dir });
  await libvirt.defineNetwork(teardown, net, isolatedNetworkXml(net, bridge, mac));
  await run("ip", ["-n", hostNs, "addr", "add", `${METADATA_ADDRESS}/32`, "dev", bridge]);
  const uuid = "5e7a0b1c-0000-4000-8000-0000000000a1";
  await libvirt.defineDomain(teardown, running, plainDomainXml(running, uuid, mac, net, "qemu"));
  const otherUuid = "5e7a0b1c-0000-4000-8000-0000000000a2";
  const otherMac = `52:54:00:${id.slice(0, 2)}:${id.slice(2)}:12`;
  await libvirt.defineDomain(
    teardown,
    stopped,
    plainDomainXml(stopped, otherUuid, otherMac, net, "qemu"),
    false,
  );

  await mkdir(join(dir, "userdata"));
  await mkdir(join(dir, "no-lease-files"));
  const conf = join(dir, "mdserver.conf");
  await writeFile(
    conf,
    `[mdserver]
listen_address = ${METADATA_ADDRESS}
port = 80
logfile = -
userdata_dir = ${join(dir, "userdata")}

[dnsmasq]
net_name = ${net}
base_dir = ${join(dir, "no-lease-files")}
`,
  );
  const server = startDaemon("ip", ["netns", "exec", hostNs, process.execPath, MAIN, conf]);
  teardown.add("stop mdserver", () => server.stop());
  const logged = (msg: string) => server.lines.some((line) => line.includes(`"msg":"${msg}`));

  await t.test(
    "the start-up log names the isolated network and the domains not set up",
    async () => {
      await eventually(
        "the start-up warnings",
        () => logged("isolated network") && logged("domains not set up"),
        { timeoutMs: 20_000 },
      );
      const line = server.lines.find((l) => l.includes('"msg":"domains not set up'));
      assert.match(line ?? "", new RegExp(`"domains":\\["${stopped}","${running}"\\]`));
    },
  );

  await t.test(
    "before: DHCP gives a guest no route, and 169.254.169.254 is unreachable",
    async () => {
      const guest = await addGuest(teardown, { name: `mdsua-${id}`, mac, hostNs, bridge, dir });
      const record = join(dir, "before.env");
      await writeFile(join(dir, "before.sh"), udhcpcScript(record));
      await chmod(join(dir, "before.sh"), 0o755);
      await dhcp(guest.ns, join(dir, "before.sh"));
      assert.equal((await readFile(record, "utf8")).trim(), "staticroutes=");
      await assert.rejects(guest.get("/openstack"), /Network is unreachable|curl/);
    },
  );

  await t.test(
    "guest-setup: both domains set up, the rest of each definition unchanged",
    async () => {
      const before = await libvirt.virsh("dumpxml", "--inactive", running);
      const liveBefore = await libvirt.virsh("dumpxml", running);
      const result = await runCli(["guest-setup", "--config", conf, "--all"]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        result.stdout,
        // By name: "-off" before "-run".
        `${stopped}: set up for openstack\n${running}: set up for openstack; it runs: takes effect when it is next started (shut it down and start it; a reboot inside the guest keeps the old values)\n`,
      );
      const after = await libvirt.virsh("dumpxml", "--inactive", running);
      assert.match(after, /<entry name='product'>OpenStack Nova<\/entry>/);
      assert.equal(withoutSetup(after), before, "every other byte as it was");
      assert.equal(
        await libvirt.virsh("dumpxml", running),
        liveBefore,
        "the running guest as it was",
      );
      const again = await runCli(["guest-setup", "--config", conf, running, stopped]);
      assert.equal(
        again.stdout,
        `${running}: already set up for openstack\n${stopped}: already set up for openstack\n`,
      );
    },
  );

  await t.test(
    "network-setup: the route is defined, and sent once the network restarts",
    async () => {
      const before = await libvirt.virsh("net-dumpxml", "--inactive", net);
      const result = await runCli(["network-setup", "--config", conf, net]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(`^${net}: routes 169\\.254\\.169\\.254/32 via ${GATEWAY}; restart the network`),
      );
      const after = await libvirt.virsh("net-dumpxml", "--inactive", net);
      assert.match(
        after,
        /<dnsmasq:option value='dhcp-option=option:classless-static-route,169\.254\.169\.254\/32,10\.214\.0\.1'\/>/,
      );
      assert.equal(
        after
          .replace(/ xmlns:dnsmasq='[^']*'/, "")
          .replace(/ {2}<dnsmasq:options>\n[\s\S]*<\/dnsmasq:options>\n/, ""),
        before,
      );
      const again = await runCli(["network-setup", "--config", conf, net]);
      assert.match(
        again.stdout,
        /already routes 169\.254\.169\.254 in its definition; restart the network/,
      );
      await libvirt.virsh("net-destroy", net);
      await libvirt.virsh("net-start", net);
      await run("ip", ["-n", hostNs, "addr", "add", `${METADATA_ADDRESS}/32`, "dev", bridge]);
      const third = await runCli(["network-setup", "--config", conf, net]);
      assert.equal(third.stdout, `${net}: already routes 169.254.169.254\n`);
    },
  );

  await t.test(
    "after: the guest gets the route by DHCP and reads its OpenStack metadata",
    async () => {
      const guest = await addGuest(teardown, { name: `mdsub-${id}`, mac, hostNs, bridge, dir });
      const record = join(dir, "after.env");
      await writeFile(join(dir, "after.sh"), udhcpcScript(record));
      await chmod(join(dir, "after.sh"), 0o755);
      await dhcp(guest.ns, join(dir, "after.sh"));
      assert.equal(
        (await readFile(record, "utf8")).trim(),
        `staticroutes=169.254.169.254/32 ${GATEWAY}`,
      );
      const route = await inNetns(guest.ns, "ip", ["route", "get", METADATA_ADDRESS]);
      assert.match(route, new RegExp(`via ${GATEWAY.replace(/\./g, "\\.")}`));
      let meta: { uuid?: string; name?: string } = {};
      await eventually(
        "the guest's metadata",
        async () => {
          const res = await guest.get("/openstack/latest/meta_data.json");
          if (res.status === 200) meta = JSON.parse(res.body) as typeof meta;
          return res.status === 200;
        },
        { timeoutMs: 10_000 },
      );
      assert.equal(meta.uuid, uuid);
      assert.equal(meta.name, running);
    },
  );

  await t.test("mdserver list has nothing left to warn about", async () => {
    const listed = await runCli(["list", "--config", conf]);
    assert.doesNotMatch(listed.stderr, /isolated|not set up/);
  });
});

/** udhcpc asking for the classless static routes (option 121, "staticroutes" in busybox). */
async function dhcp(ns: string, script: string): Promise<void> {
  await inNetns(
    ns,
    "busybox",
    [
      "udhcpc",
      "-i",
      "eth0",
      "-n",
      "-q",
      "-f",
      "-t",
      "6",
      "-T",
      "1",
      "-O",
      "staticroutes",
      "-s",
      script,
    ],
    20_000,
  );
}
