/**
 * Guest names in a real dnsmasq through its additional hosts file: the server writes the
 * file when the inventory changes (static instances, libvirt's test driver and lease files),
 * sends SIGHUP, and `dig` asks dnsmasq for A and PTR answers of every name form.
 */
import assert from "node:assert/strict";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { BLOCK_END, BLOCK_START } from "../../src/dns/hosts-file.js";
import {
  ALPHA,
  BETA,
  DELTA,
  FIXTURE_URI,
  GAMMA,
  TWIN_IP,
  ZETA,
} from "../helpers/libvirt-fixture.js";
import { startTestServer, tempDir } from "../helpers/test-server.js";
import { startDnsmasq } from "./helpers/dnsmasq.js";
import { dnsConfig, guest, instanceSections, publishStatic } from "./helpers/dns-setup.js";

const NAMING = "prefix = test-\ndomain = example.com\nentry_order = base, prefix, fqdn\n";

test("names appear, move and go with the guests; lines mdserver did not write stay", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "guests.hosts");
  await writeFile(file, "127.0.0.99 admin-box\n");
  const dns = await startDnsmasq(t, dir, [file]);
  const guests = [guest("web1", "127.0.0.31"), guest("db1", "127.0.0.32")];
  const server = await startTestServer(
    t,
    dnsConfig(`addn_hosts = ${file}\npid_file = ${dns.pidFile}\n${NAMING}`, {
      more: instanceSections(guests),
    }),
  );
  await server.server.dns?.idle();

  for (const name of ["web1", "test-web1", "test-web1.example.com"]) {
    await dns.expect(name, ["127.0.0.31"]);
  }
  await dns.expect("test-db1.example.com", ["127.0.0.32"]);
  // The first name of a line answers the reverse lookup.
  await dns.expectReverse("127.0.0.31", ["web1"]);
  await dns.expect("admin-box", ["127.0.0.99"]);
  assert.equal(
    await readFile(file, "utf8"),
    `127.0.0.99 admin-box\n${BLOCK_START}\n` +
      "127.0.0.31 web1 test-web1 test-web1.example.com\n" +
      "127.0.0.32 db1 test-db1 test-db1.example.com\n" +
      `${BLOCK_END}\n`,
  );

  // web1 moves, db1 goes, cache1 comes.
  await publishStatic(server.server, [guest("web1", "127.0.0.41"), guest("cache1", "127.0.0.33")]);
  await dns.expect("test-web1.example.com", ["127.0.0.41"]);
  await dns.expectReverse("127.0.0.31", []);
  for (const name of ["db1", "test-db1", "test-db1.example.com"]) {
    await dns.expect(name, []);
  }
  await dns.expectReverse("127.0.0.32", []);
  await dns.expect("test-cache1", ["127.0.0.33"]);
  await dns.expect("admin-box", ["127.0.0.99"]);
  assert.deepEqual(server.server.dns?.health().ok, true);

  // The same view again: the file is not rewritten.
  const before = await stat(file);
  await publishStatic(server.server, [guest("web1", "127.0.0.41"), guest("cache1", "127.0.0.33")]);
  const after = await stat(file);
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);

  // Every guest gone: mdserver's block goes, the admin's line stays.
  await publishStatic(server.server, []);
  assert.equal(await readFile(file, "utf8"), "127.0.0.99 admin-box\n");
  await dns.expect("web1", []);
});

test("guests of libvirt's test driver, as their leases come, move and go", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "guests.hosts");
  const dns = await startDnsmasq(t, dir, [file]);
  const seconds = (n: number) => Math.floor(Date.now() / 1000) + n;
  const server = await startTestServer(
    t,
    dnsConfig(
      `addn_hosts = ${file}\npid_file = ${dns.pidFile}\nbase_dir = leases\ndomain = lab\nentry_order = base, fqdn`,
      { sources: "libvirt", more: `[libvirt]\nuri = ${FIXTURE_URI}\n` },
    ),
    { files: { "leases/mds.leases": `${seconds(3600)} ${ZETA.mac} 127.0.0.26 zeta *\n` } },
  );
  await server.server.dns?.idle();
  for (const g of [ALPHA, BETA, DELTA]) {
    await dns.expect(`${g.name}.lab`, [g.ip]);
    await dns.expectReverse(g.ip, [g.name]);
  }
  await dns.expect("zeta", ["127.0.0.26"]);
  // Only on a network not configured, or an address two domains claim: not in DNS.
  await dns.expect(GAMMA.name, []);
  await dns.expectReverse(TWIN_IP, []);

  // zeta's address passes to alpha (written the way libvirt's helper writes it).
  const leases = join(server.dir, "leases", "mds.leases");
  await writeFile(`${leases}.new`, `${seconds(3600)} ${ALPHA.mac} 127.0.0.26 alpha *\n`);
  await rename(`${leases}.new`, leases);
  await dns.expect("zeta.lab", []);
  await dns.expect("alpha.lab", ["127.0.0.21", "127.0.0.26"]);
  await dns.expectReverse("127.0.0.26", ["alpha"]);
});

test("an address the inventory serves to no one is not published, though one guest alone shows it", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "guests.hosts");
  const dns = await startDnsmasq(t, dir, [file]);
  // alpha holds its reservation and a lease; a static instance claims the reservation too:
  // that address is served to neither, and only alpha still lists it.
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  const server = await startTestServer(
    t,
    dnsConfig(`addn_hosts = ${file}\npid_file = ${dns.pidFile}\nbase_dir = leases`, {
      sources: "libvirt, static",
      more: `[libvirt]\nuri = ${FIXTURE_URI}\n${instanceSections([guest("squatter", ALPHA.ip)])}`,
    }),
    { files: { "leases/mds.leases": `${expiry} ${ALPHA.mac} 127.0.0.26 alpha *\n` } },
  );
  await server.server.dns?.idle();
  assert.equal(server.server.inventory.lookup(ALPHA.ip), undefined);
  await dns.expect("alpha", ["127.0.0.26"]);
  await dns.expect("squatter", []);
  await dns.expectReverse(ALPHA.ip, []);
});

test("several networks, each its own file, found in libvirt's <net_name>.conf as the original did", async (t) => {
  const dir = await tempDir(t);
  const files = { mds: join(dir, "mds.addnhosts"), other: join(dir, "other.addnhosts") };
  const dns = await startDnsmasq(t, dir, Object.values(files));
  const conf = (net: keyof typeof files) =>
    `##WARNING:  THIS IS AN AUTO-GENERATED FILE.\nstrict-order\npid-file=${dns.pidFile}\n` +
    `except-interface=lo\nbind-dynamic\ninterface=virbr-${net}\naddn-hosts=${files[net]}\n`;
  await writeFile(join(dir, "mds.conf"), conf("mds"));
  await writeFile(join(dir, "other.conf"), conf("other"));
  const server = await startTestServer(
    t,
    dnsConfig(`base_dir = ${dir}\nnet_name = mds, other`, {
      sources: "libvirt, static",
      more: `[libvirt]\nuri = ${FIXTURE_URI}\n${instanceSections([guest("plain", "127.0.0.51"), guest("on-other", "127.0.0.52", "other")])}`,
    }),
  );
  await server.server.dns?.idle();
  const own = async (net: keyof typeof files) =>
    (await readFile(files[net], "utf8")).split("\n").filter((l) => /^\d/.test(l));
  // A static instance declared without a network is on the first one.
  assert.deepEqual(await own("mds"), [
    `${ALPHA.ip} alpha`,
    `${BETA.ip} beta`,
    `${DELTA.ip} delta`,
    "127.0.0.51 plain",
  ]);
  assert.deepEqual(await own("other"), [`${GAMMA.ip} gamma`, "127.0.0.52 on-other"]);
  await dns.expect("gamma", [GAMMA.ip]);
  await dns.expect("plain", ["127.0.0.51"]);
  assert.equal(server.server.dns?.health().ok, true);
});
