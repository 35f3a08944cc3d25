/**
 * The libvirt source against libvirt's test driver, through the whole server: guests posed
 * from their reserved loopback addresses, lease files the original read, several networks,
 * static instances beside libvirt's.
 */
import assert from "node:assert/strict";
import { rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { eventually } from "../helpers/eventually.js";
import {
  ALPHA,
  BETA,
  DELTA,
  EPSILON,
  FIXTURE_URI,
  GAMMA,
  TWIN_IP,
  ZETA,
} from "../helpers/libvirt-fixture.js";
import { generatedGuest, writeGeneratedNode } from "../helpers/generated-node.js";
import { startTestServer, tempDir, type TestServer } from "../helpers/test-server.js";

function config(extra: { nets?: string; sources?: string; more?: string } = {}): string {
  return `[mdserver]
listen_address = 127.0.0.1
userdata_dir = userdata
logfile = -
instance_source = ${extra.sources ?? "libvirt"}

[libvirt]
uri = ${FIXTURE_URI}

[dnsmasq]
net_name = ${extra.nets ?? "mds"}
base_dir = leases
${extra.more ?? ""}`;
}

async function hostname(server: TestServer, from: string): Promise<string | number> {
  const res = await server.request("/latest/meta-data/hostname", { from });
  return res.status === 200 ? res.body : res.status;
}

const seconds = (n: number) => Math.floor(Date.now() / 1000) + n;

test("guests are known by their reserved addresses on the configured network, with their UUIDs", async (t) => {
  const server = await startTestServer(t, config(), { files: { "leases/.keep": "" } });
  const rows: Array<[string, string | number]> = [
    [ALPHA.ip, ALPHA.name],
    [BETA.ip, BETA.name],
    [DELTA.ip, DELTA.name],
    // Shut off: it cannot be the one asking, whoever uses its reserved address.
    [EPSILON.ip, 404],
    // Only on the network "other", which is not configured.
    [GAMMA.ip, 404],
    // Two running domains share the MAC of this reservation: neither gets it.
    [TWIN_IP, 404],
    ["127.0.0.99", 404],
  ];
  for (const [ip, expected] of rows) assert.equal(await hostname(server, ip), expected, ip);
  const instanceId = await server.request("/latest/meta-data/instance-id", { from: ALPHA.ip });
  assert.equal(instanceId.body, `i-${ALPHA.uuid.replace(/-/g, "").slice(0, 17)}`);
  const doc = await server.request("/latest/dynamic/instance-identity/document", { from: BETA.ip });
  assert.equal(JSON.parse(doc.body).architecture, "aarch64");

  const alpha = server.server.inventory.lookup(ALPHA.ip);
  assert.equal(alpha?.instance.uuid, ALPHA.uuid);
  assert.equal(alpha?.mac, ALPHA.mac);
  assert.equal(alpha?.instance.source, `libvirt ${FIXTURE_URI}`);
  assert.match(alpha?.instance.metadataXml ?? "", /<mds:userdata>web<\/mds:userdata>/);
  assert.deepEqual(
    server.server.inventory.lookup(DELTA.ip)?.instance.interfaces.map((i) => [i.mac, i.addresses]),
    [
      [DELTA.mac, [DELTA.ip]],
      ["52:54:00:00:01:24", []],
    ],
  );
});

test("several networks: guests of each are served", async (t) => {
  const server = await startTestServer(t, config({ nets: "mds, other" }));
  assert.equal(await hostname(server, GAMMA.ip), GAMMA.name);
  assert.equal(await hostname(server, ALPHA.ip), ALPHA.name);
  assert.equal(server.server.inventory.lookup(GAMMA.ip)?.instance.interfaces[0]?.network, "other");
});

test("the original's lease files identify a guest; expired leases do not", async (t) => {
  const server = await startTestServer(t, config(), {
    files: {
      "leases/mds.leases": `${seconds(3600)} ${ZETA.mac} 127.0.0.26 zeta *\n${seconds(-10)} ${ALPHA.mac} 127.0.0.41 alpha *\n`,
      "leases/virbr-mds.status": JSON.stringify([
        { "ip-address": "127.0.0.42", "mac-address": BETA.mac, "expiry-time": seconds(3600) },
      ]),
    },
  });
  assert.equal(await hostname(server, "127.0.0.26"), ZETA.name);
  assert.equal(await hostname(server, "127.0.0.42"), BETA.name);
  assert.equal(await hostname(server, "127.0.0.41"), 404);
});

test("a lease that moves to another guest is the new guest's once the file changes, never both", async (t) => {
  const server = await startTestServer(t, config(), {
    files: { "leases/mds.leases": `${seconds(3600)} ${ZETA.mac} 127.0.0.26 zeta *\n` },
  });
  const file = join(server.dir, "leases", "mds.leases");
  assert.equal(await hostname(server, "127.0.0.26"), ZETA.name);
  // Rewritten the way libvirt's helper does it: a new file renamed over the old.
  await writeFile(`${file}.new`, `${seconds(3600)} ${ALPHA.mac} 127.0.0.26 alpha *\n`);
  await rename(`${file}.new`, file);
  await eventually("the address to pass to alpha", async () => {
    const now = await hostname(server, "127.0.0.26");
    assert.ok(now === ZETA.name || now === ALPHA.name, `served ${now}`);
    return now === ALPHA.name;
  });
  assert.deepEqual(server.server.inventory.lookup(ALPHA.ip)?.instance.interfaces[0]?.addresses, [
    "127.0.0.21",
    "127.0.0.26",
  ]);
});

test("leases are read again periodically: a change no file watch sees is still found", async (t) => {
  // The lease file is a link to a file elsewhere: rewriting that file changes nothing in the
  // watched directory, and the address stays known, so no unknown client asks either.
  const server = await startTestServer(
    t,
    config().replace(`uri = ${FIXTURE_URI}`, `uri = ${FIXTURE_URI}\nlease_refresh_interval = 1`),
    {
      files: {
        "leases/.keep": "",
        "elsewhere/mds.leases": `${seconds(3600)} ${ZETA.mac} 127.0.0.26 zeta *\n`,
      },
    },
  );
  await symlink(
    join(server.dir, "elsewhere", "mds.leases"),
    join(server.dir, "leases", "mds.leases"),
  );
  await eventually(
    "zeta to be known",
    async () => (await hostname(server, "127.0.0.26")) === ZETA.name,
  );
  await writeFile(
    join(server.dir, "elsewhere", "mds.leases"),
    `${seconds(3600)} ${ALPHA.mac} 127.0.0.26 a *\n`,
  );
  await eventually(
    "the address to pass to alpha",
    async () => (await hostname(server, "127.0.0.26")) === ALPHA.name,
    {
      timeoutMs: 4000,
    },
  );
});

test("a lease stops being served when it ends, without any refresh", async (t) => {
  const server = await startTestServer(t, config(), {
    files: { "leases/mds.leases": `${seconds(2)} ${ZETA.mac} 127.0.0.26 zeta *\n` },
  });
  assert.equal(await hostname(server, "127.0.0.26"), ZETA.name);
  await eventually("the lease to end", async () => (await hostname(server, "127.0.0.26")) === 404, {
    timeoutMs: 5000,
  });
});

test("a lease written after start-up is found when its guest first asks", async (t) => {
  const server = await startTestServer(t, config(), { files: { "leases/.keep": "" } });
  assert.equal(await hostname(server, "127.0.0.26"), 404);
  await writeFile(
    join(server.dir, "leases", "mds.leases"),
    `${seconds(60)} ${ZETA.mac} 127.0.0.26 z *\n`,
  );
  await eventually(
    "zeta to be known",
    async () => (await hostname(server, "127.0.0.26")) === ZETA.name,
  );
});

test("several connection URIs: the guests of each are served, each by its own source", async (t) => {
  const dir = await tempDir(t);
  const second = await writeGeneratedNode(dir, 3);
  const server = await startTestServer(
    t,
    config({ more: "" }).replace(`uri = ${FIXTURE_URI}`, `uri = ${FIXTURE_URI}, ${second}`),
  );
  assert.equal(await hostname(server, ALPHA.ip), ALPHA.name);
  const other = generatedGuest(2);
  assert.equal(await hostname(server, other.ip), other.name);
  assert.equal(server.server.inventory.lookup(other.ip)?.instance.source, `libvirt ${second}`);
});

test("static instances are served beside libvirt's", async (t) => {
  const server = await startTestServer(
    t,
    config({
      sources: "libvirt, static",
      more: "\n[instance:static-one]\nip = 127.0.0.50\n",
    }),
  );
  assert.equal(await hostname(server, "127.0.0.50"), "static-one");
  assert.equal(await hostname(server, ALPHA.ip), ALPHA.name);
});
