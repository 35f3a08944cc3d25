/**
 * NoCloud over HTTP, judged by cloud-init's own NoCloud datasource (network stage) seeded from
 * the DMI serial guest-setup writes, pointed at the test's server: two guests, one seed URL,
 * each its own documents. And the surface: vendor-data 200 even when empty (a 404 costs eleven
 * retries), network-config for clients that ask, 404 for strangers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { phoneHomeVendorData } from "../../src/boot-reports/phone-home-vendor-data.js";
import { NOCLOUD_SERIAL } from "../../src/setup/setup-mode.js";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS, STRANGER, twoGuestsConfig } from "../helpers/two-guests.js";
import { runDriver } from "../ec2/helpers/cloud-init.js";

const DRIVER = "../../nocloud/python/nocloud_net.py";

interface Seeded {
  ok: boolean;
  dsmode: string;
  metadata: Record<string, unknown>;
  instance_id: string;
  hostname: string;
  keys: string[];
  userdata: string;
  vendordata: string;
}

test("cloud-init's NoCloud datasource takes each guest's seed from the serial's URL", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("", "userdata_fallback = no"), {
    files: { "userdata/alpha.yaml": "#cloud-config\nhostname: {{hostname}}\n" },
  });
  const serial = NOCLOUD_SERIAL.replace(
    "http://169.254.169.254/",
    `http://127.0.0.1:${server.port}/`,
  );
  assert.notEqual(serial, NOCLOUD_SERIAL);
  for (const guest of [ALPHA, BETA]) {
    const out = await runDriver<Seeded>(DRIVER, { source: guest.ip, serial });
    const who = `${guest.name}\n${out.log}`;
    assert.equal(out.ok, true, who);
    assert.equal(out.dsmode, "net", who);
    // meta-data, user-data and vendor-data, once each: no retry of anything.
    assert.deepEqual(
      out.requests.map(([method, url, status]) => [
        method,
        url.replace(/:\d+\//, ":PORT/"),
        status,
      ]),
      ["meta-data", "user-data", "vendor-data"].map((name) => [
        "GET",
        `http://127.0.0.1:PORT/nocloud/${name}`,
        200,
      ]),
      who,
    );
    // The same instance-id as the EC2 tree gives the guest.
    assert.equal(out.instance_id, guest.instanceId);
    assert.equal(out.hostname, guest.name);
    assert.deepEqual(out.keys, [KEYS.default, KEYS.backup]);
    assert.equal(out.userdata, guest === ALPHA ? "#cloud-config\nhostname: alpha\n" : "");
    // The built-in vendor-data: boot reports to this server.
    assert.equal(
      out.vendordata,
      phoneHomeVendorData(`http://127.0.0.1:${server.port}/mdserver/boot-report`),
    );
    const ec2 = await server.request("/latest/meta-data/instance-id", { from: guest.ip });
    assert.equal(ec2.body, out.instance_id);
  }
});

test("the /nocloud/ surface: documents, listing, strangers", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(`[instance:nomac]\nip = 127.0.0.13\n`));
  const get = async (path: string, from: string) => {
    const res = await server.request(path, { from });
    return { status: res.status, body: res.body, type: res.headers["content-type"] };
  };
  assert.deepEqual(await get("/nocloud/meta-data", ALPHA.ip), {
    status: 200,
    body: `instance-id: "${ALPHA.instanceId}"\nlocal-hostname: "alpha"\npublic-keys:\n  - "${KEYS.default}"\n  - "${KEYS.backup}"\n`,
    type: "text/plain",
  });
  assert.deepEqual(await get("/nocloud/vendor-data", BETA.ip), {
    status: 200,
    body: phoneHomeVendorData(`http://127.0.0.1:${server.port}/mdserver/boot-report`),
    type: "application/octet-stream",
  });
  assert.deepEqual(await get("/nocloud/network-config", BETA.ip), {
    status: 200,
    body: `version: 2\nethernets:\n  nic0:\n    match:\n      macaddress: "${BETA.mac}"\n    dhcp4: true\n`,
    type: "text/plain",
  });
  assert.equal(
    (await get("/nocloud/", ALPHA.ip)).body,
    "meta-data\nnetwork-config\nuser-data\nvendor-data",
  );
  // Without a MAC there is no interface to describe: no network-config (cloud-init's own then).
  assert.equal((await get("/nocloud/", "127.0.0.13")).body, "meta-data\nuser-data\nvendor-data");
  assert.equal((await get("/nocloud/network-config", "127.0.0.13")).status, 404);
  // The built-in user-data (userdata_fallback) for beta.
  assert.match((await get("/nocloud/user-data", BETA.ip)).body, /^#cloud-config\nhostname: beta\n/);
  for (const path of [
    "/nocloud/meta-data",
    "/nocloud/user-data",
    "/nocloud/vendor-data",
    "/nocloud/",
  ]) {
    assert.equal((await get(path, STRANGER)).status, 404, path);
  }
  assert.equal((await get("/nocloud/other", ALPHA.ip)).status, 404);
});
