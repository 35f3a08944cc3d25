/**
 * Guest names with a real libvirtd (in the test's namespace): a running domain with a
 * reservation and static instances on a real libvirt network, whose own dnsmasq answers `dig`.
 * - dns_mode = libvirt: entries added and removed with virsh net-update; restarts neither add
 *   them twice nor leave stale ones; the network's own entry is never touched.
 * - dns_mode = addn-hosts: the file libvirt's <net>.conf names, beside libvirt's own lines,
 *   and its dnsmasq reloaded through the pid file that conf names; libvirt rewriting the file
 *   is undone at the next change.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load-config.js";
import { parseDnsHosts } from "../../src/dns/dns-host-xml.js";
import { BLOCK_START } from "../../src/dns/hosts-file.js";
import { parseDnsmasqConf } from "../../src/dns/dnsmasq-conf.js";
import { silentLogger } from "../../src/log/logger.js";
import { startMdserver, type RunningMdserver } from "../../src/mdserver.js";
import { eventually } from "../helpers/eventually.js";
import { TestLibvirtd } from "../helpers/libvirtd.js";
import { createNetns, inNetns } from "../helpers/netns.js";
import { Teardown } from "../helpers/teardown.js";
import { tempDir, writeFiles } from "../helpers/test-server.js";
import { guest, instanceSections, publishStatic } from "./helpers/dns-setup.js";

const DOMAIN = "mdstest";

test("a real libvirt network: net-update mode, then the hosts file its config names", async (t) => {
  const teardown = new Teardown(t);
  const dir = await tempDir(t, "mdserver-dns-libvirtd-");
  const id = randomBytes(2).toString("hex");
  const net = `mdsdns-${id}`;
  const mac = `52:54:00:${id.slice(0, 2)}:${id.slice(2)}:11`;
  const vm = `${net}-vm`;
  const at = (n: number) => `10.215.0.${n}`;
  const hostNs = await createNetns(teardown, `mdsd-${id}`);
  const libvirt = await TestLibvirtd.start(teardown, { ns: hostNs, dir });
  // The network answers for the domain "mdstest" itself (never forwards it), and holds an
  // entry of the administrator's, which mdserver must never touch.
  await libvirt.defineNetwork(
    teardown,
    net,
    `<network>
  <name>${net}</name>
  <bridge name="mdsdb-${id}" stp="off" delay="0"/>
  <domain name="${DOMAIN}" localOnly="yes"/>
  <dns><host ip="${at(50)}"><hostname>admins-host</hostname></host></dns>
  <ip address="${at(1)}" netmask="255.255.255.0">
    <dhcp><range start="${at(100)}" end="${at(200)}"/><host mac="${mac}" ip="${at(11)}"/></dhcp>
  </ip>
</network>`,
  );
  await libvirt.defineDomain(
    teardown,
    vm,
    `<domain type="qemu"><name>${vm}</name><memory unit="MiB">32</memory>
<os><type arch="x86_64">hvm</type></os><devices>
<interface type="network"><mac address="${mac}"/><source network="${net}"/></interface>
</devices></domain>`,
  );

  /** Asks the network's own dnsmasq (on the bridge, in libvirtd's namespace). */
  const lookup = async (name: string) =>
    (
      await inNetns(hostNs, "dig", [
        `@${at(1)}`,
        "+short",
        "+time=2",
        "+tries=2",
        `${name}.${DOMAIN}`,
      ])
    )
      .split("\n")
      .filter((l) => l !== "");
  const expect = (name: string, addresses: string[]) =>
    eventually(`${name} → ${addresses.join(" ")}`, async () => {
      return JSON.stringify(await lookup(name)) === JSON.stringify(addresses);
    });
  const entries = async () =>
    parseDnsHosts(await libvirt.virsh("net-dumpxml", net))
      .map((e) => `${e.ip} ${e.names.join(" ")}`)
      .sort();
  const stateFile = join(dir, "state", "libvirt-dns.json");
  await mkdir(join(dir, "no-lease-files"));

  /** Starts mdserver (in this process) on these [dnsmasq] keys and instances. */
  const serve = async (keys: string, sources: string, instances = ""): Promise<RunningMdserver> => {
    const confDir = await tempDir(t);
    await writeFiles(confDir, {
      "mdserver.conf": `[mdserver]
listen_address = 127.0.0.1
userdata_dir = ${confDir}
instance_source = ${sources}
[libvirt]
timeout = 5
[dnsmasq]
net_name = ${net}
manage_addnhosts = yes
domain = ${DOMAIN}
entry_order = base, fqdn
${keys}
${instances}`,
    });
    const { config } = await loadConfig(join(confDir, "mdserver.conf"));
    const server = await startMdserver(config, silentLogger(), { port: 0 });
    teardown.add("stop mdserver", () => server.close());
    await server.dns?.idle();
    return server;
  };
  const libvirtMode = `dns_mode = libvirt\ndns_state_file = ${stateFile}\nbase_dir = ${join(dir, "no-lease-files")}`;
  const ours = (...names: Array<[number, string]>) =>
    names.map(([n, name]) => `${at(n)} ${name} ${name}.${DOMAIN}`);

  await t.test("net-update: names added, changed and removed through libvirt", async () => {
    const server = await serve(
      libvirtMode,
      "libvirt, static",
      instanceSections([guest("s1", at(61), net)]),
    );
    assert.deepEqual(server.dns?.health(), {
      ok: true,
      lastSuccess: server.dns?.health().lastSuccess,
    });
    await expect(vm, [at(11)]);
    await expect("s1", [at(61)]);
    await expect("admins-host", [at(50)]);
    await publishStatic(server, [guest("s2", at(62), net)]);
    await expect("s1", []);
    await expect("s2", [at(62)]);
    assert.deepEqual(
      await entries(),
      [`${at(50)} admins-host`, ...ours([11, vm], [62, "s2"])].sort(),
    );
    await server.close();
  });

  await t.test("a restart neither duplicates nor leaks entries", async () => {
    // s2 went away while mdserver was stopped; s3 is new.
    const server = await serve(
      libvirtMode,
      "libvirt, static",
      instanceSections([guest("s3", at(63), net)]),
    );
    assert.deepEqual(
      await entries(),
      [`${at(50)} admins-host`, ...ours([11, vm], [63, "s3"])].sort(),
    );
    await expect("s2", []);
    await expect("s3", [at(63)]);
    await server.close();
    // Nothing to publish any more: every entry mdserver added goes, the administrator's stays.
    const none = await serve(libvirtMode, "static");
    assert.deepEqual(await entries(), [`${at(50)} admins-host`]);
    const state = JSON.parse(await readFile(stateFile, "utf8")) as { entries: unknown[] };
    assert.deepEqual(state.entries, []);
    await expect(vm, []);
    await none.close();
  });

  await t.test("addn-hosts: the file and the dnsmasq libvirt's config names", async () => {
    const conf = parseDnsmasqConf(await readFile(`/var/lib/libvirt/dnsmasq/${net}.conf`, "utf8"));
    t.diagnostic(`libvirt's conf: ${JSON.stringify(conf)}`);
    const file = conf.addnHosts ?? "";
    const server = await serve(
      "base_dir = /var/lib/libvirt/dnsmasq",
      "libvirt, static",
      instanceSections([guest("s4", at(64), net)]),
    );
    assert.equal(server.dns?.health().ok, true, server.dns?.health().problem);
    const text = await readFile(file, "utf8");
    assert.match(
      text,
      new RegExp(`^${at(50).replace(/\./g, "\\.")}\\s+admins-host\\s*$`, "m"),
      "libvirt's line kept",
    );
    assert.ok(
      text.includes(`${BLOCK_START}\n${at(11)} ${vm} ${vm}.${DOMAIN}\n${at(64)} s4 s4.${DOMAIN}\n`),
    );
    await expect(vm, [at(11)]);
    await expect("s4", [at(64)]);
    await expect("admins-host", [at(50)]);

    // libvirt rewrites the file from its own entries (here, an administrator's net-update):
    // mdserver's block is gone until the next change brings it back, the new entry kept.
    const admin2 = `<host ip='${at(51)}'><hostname>admin2</hostname></host>`;
    await libvirt.virsh("net-update", net, "add", "dns-host", admin2, "--live", "--config");
    assert.ok(!(await readFile(file, "utf8")).includes(BLOCK_START), "libvirt rewrote the file");
    await publishStatic(server, [guest("s4", at(64), net), guest("s5", at(65), net)]);
    await expect("s5", [at(65)]);
    await expect("admin2", [at(51)]);
    const now = await readFile(file, "utf8");
    assert.match(now, /admins-host/);
    assert.match(now, /admin2/);
    assert.ok(now.includes(`${at(65)} s5 s5.${DOMAIN}\n`));
    await expect(vm, [at(11)]);
    await server.close();
  });
});
