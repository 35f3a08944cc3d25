/**
 * vendor-data, network-config and meta-data: each searched as user-data is (name, MAC, a
 * default, built-in), each with its own suffix, each served where the layouts have a place
 * for it; the values every part's template can use; errors confined to the part and guest.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { startTestServer, type TestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS, twoGuestsConfig } from "../helpers/two-guests.js";

const get = async (server: TestServer, path: string, from: string = ALPHA.ip) => {
  const res = await server.request(path, { from });
  return res.status === 200 ? res.body : res.status;
};

/** Serves each step's file, then removes it: the next step must answer. */
async function walk(
  server: TestServer,
  steps: ReadonlyArray<readonly [string, string]>,
  read: () => Promise<unknown>,
  expect: (body: string) => unknown,
): Promise<void> {
  for (const [file, body] of steps) {
    assert.deepEqual(await read(), expect(body), `with ${file} present`);
    await rm(join(server.dir, "userdata", file));
  }
}

/** The named fields of a JSON document. */
function pick(body: unknown, keys: readonly string[]): Record<string, unknown> {
  const doc = JSON.parse(String(body)) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, doc[k]]));
}

const stepsFor = (suffix: string) =>
  [
    [`${ALPHA.name}.${suffix}`, `from name`],
    [`${ALPHA.mac}.${suffix}`, `from mac`],
    [`default.${suffix}`, `from default`],
  ] as const;

function filesFor(steps: ReadonlyArray<readonly [string, string]>, wrap: (s: string) => string) {
  return Object.fromEntries(steps.map(([file, body]) => [`userdata/${file}`, wrap(body)]));
}

test("vendor-data: NAME.vendor-data, MAC.vendor-data, default.vendor-data, then none", async (t) => {
  const steps = stepsFor("vendor-data");
  const wrap = (s: string) => `#cloud-config\nrole: ${s} {{name}}\n`;
  const server = await startTestServer(t, twoGuestsConfig(), { files: filesFor(steps, wrap) });
  await walk(
    server,
    steps,
    async () => [
      await get(server, "/nocloud/vendor-data"),
      await get(server, "/openstack/latest/vendor_data.json"),
    ],
    (s) => [
      `#cloud-config\nrole: ${s} alpha\n`,
      JSON.stringify({ "cloud-init": `#cloud-config\nrole: ${s} alpha\n` }),
    ],
  );
  assert.equal(await get(server, "/nocloud/vendor-data"), "");
  assert.equal(await get(server, "/openstack/latest/vendor_data.json"), "{}");
});

test("network-config: NAME.network-config, MAC…, default…, then DHCP on every interface", async (t) => {
  const steps = stepsFor("network-config");
  const wrap = (s: string) =>
    `# ${s}\nversion: 1\nconfig:\n  - type: physical\n    name: eth0\n    mac_address: "{{mac}}"\n    subnets: [{type: static, address: {{address}}/8}]\n`;
  const server = await startTestServer(t, twoGuestsConfig(), { files: filesFor(steps, wrap) });
  await walk(
    server,
    steps,
    () => get(server, "/nocloud/network-config"),
    (s) => wrap(s).replace("{{mac}}", ALPHA.mac).replace("{{address}}", ALPHA.ip),
  );
  assert.match(String(await get(server, "/nocloud/network-config")), /^version: 2\n.*dhcp4: true/s);
  assert.match(
    await (
      await server.request("/nocloud/", { from: ALPHA.ip })
    ).body,
    /network-config/,
  );
});

test("meta-data: tags, zone and instance type in EC2, OpenStack and NoCloud; then the config's", async (t) => {
  const steps = stepsFor("meta-data");
  const wrap = (s: string) =>
    `availability-zone: zone-{{name}}\ninstance-type: t.${s.replace("from ", "")}\ntags:\n  Name: {{name}}\n  Step: ${s}\nowner: ops\n`;
  const server = await startTestServer(t, twoGuestsConfig(), { files: filesFor(steps, wrap) });
  const read = async () => ({
    tags: await get(server, "/latest/meta-data/tags/instance/"),
    step: await get(server, "/latest/meta-data/tags/instance/Step"),
    zone: await get(server, "/latest/meta-data/placement/availability-zone"),
    type: await get(server, "/latest/meta-data/instance-type"),
    doc: pick(await get(server, "/latest/dynamic/instance-identity/document"), [
      "availabilityZone",
      "instanceType",
    ]),
    openstack: pick(await get(server, "/openstack/latest/meta_data.json"), [
      "meta",
      "availability_zone",
    ]),
    nocloud: String(await get(server, "/nocloud/meta-data"))
      .split("\n")
      .slice(5)
      .join("\n"),
  });
  await walk(server, steps, read, (s) => {
    const type = `t.${s.replace("from ", "")}`;
    return {
      tags: "Name\nStep",
      step: s,
      zone: "zone-alpha",
      type,
      doc: { availabilityZone: "zone-alpha", instanceType: type },
      openstack: { meta: { Name: "alpha", Step: s }, availability_zone: "zone-alpha" },
      nocloud: `availability-zone: zone-alpha\ninstance-type: ${type}\ntags:\n  Name: alpha\n  Step: ${s}\nowner: ops\n`,
    };
  });
  // None left: the [ec2] settings, no tags.
  const after = await read();
  assert.equal(after.tags, 404);
  assert.equal(after.zone, "local-1a");
  assert.equal(after.type, "m1.small");
  assert.deepEqual(after.openstack.meta, {});
  assert.equal(after.nocloud, "");
  // The listing does not name tags/ when there are none.
  assert.doesNotMatch(String(await get(server, "/latest/meta-data/")), /tags/);
});

test("a broken part fails only that part of that guest, naming the file and line", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: {
      [`userdata/${ALPHA.name}.meta-data`]: "tags:\n  Name: [unclosed\n",
      [`userdata/${ALPHA.name}.vendor-data`]: "#cloud-config\n{{nope}}\n",
      [`userdata/${ALPHA.name}.yaml`]: "#cloud-config\nok: {{name}}\n",
    },
  });
  const meta = await server.request("/latest/meta-data/instance-id", { from: ALPHA.ip });
  assert.equal(meta.status, 500);
  assert.match(
    meta.body,
    /meta-data template error: alpha\.meta-data:3:1: meta-data is not valid YAML/,
  );
  const vendor = await server.request("/nocloud/vendor-data", { from: ALPHA.ip });
  assert.equal(vendor.status, 500);
  assert.match(
    vendor.body,
    /vendor-data template error: alpha\.vendor-data:2:3: no value named "nope"/,
  );
  assert.equal(await get(server, "/nocloud/user-data"), "#cloud-config\nok: alpha\n");
  assert.equal(await get(server, "/latest/meta-data/instance-id", BETA.ip), BETA.instanceId);
  assert.equal(await get(server, "/nocloud/vendor-data", BETA.ip), "");
});

test("every part's template has the guest's values", async (t) => {
  const template = [
    "{{name}} {{uuid}} {{instance_id}} {{hostname}}",
    "{{address}} {{', '.join(addresses)}} {{mac}} {{', '.join(macs)}} {{network}}",
    "% for key, value in sorted(public_keys.items()):",
    "{{key}}={{!value}}",
    "% end",
    "{{len(tags)}} {{site}}",
  ].join("\n");
  const server = await startTestServer(t, twoGuestsConfig("[template-data]\nsite = lab\n"), {
    files: {
      [`userdata/${ALPHA.name}`]: template,
      [`userdata/${ALPHA.name}.vendor-data`]: template,
    },
  });
  const expected = [
    `alpha ${ALPHA.uuid} ${ALPHA.instanceId} alpha`,
    `${ALPHA.ip} ${ALPHA.ip} ${ALPHA.mac} ${ALPHA.mac} None`,
    `backup=${KEYS.backup}`,
    `default=${KEYS.default}`,
    "0 lab",
  ].join("\n");
  assert.equal(await get(server, "/latest/user-data"), expected);
  assert.equal(await get(server, "/nocloud/vendor-data"), expected);
});
