/** user-data as EC2 serves it: bytes, rendered per guest, 404 when the guest has none. */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS } from "../helpers/two-guests.js";
import { ec2GuestsConfig } from "./helpers/ec2-guests.js";
import { expectRows } from "./helpers/expect-rows.js";

const OCTETS = "application/octet-stream";

test("user-data is application/octet-stream, rendered for the asking guest", async (t) => {
  const template =
    "#cloud-config\nhostname: {{hostname}}\nssh_authorized_keys:\n  - {{!public_key_backup}}\n";
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/default.tmpl": template },
  });
  // No file and no default_template: the built-in #cloud-config.
  await expectRows(server, ALPHA.ip, [
    [
      "/latest/user-data",
      {
        status: 200,
        contentType: OCTETS,
        body: `#cloud-config\nhostname: alpha\nlocal-hostname: alpha\nfqdn: alpha.localdomain\nmanage_etc_hosts: true\nssh_authorized_keys:\n    - ${KEYS.default}\n`,
      },
    ],
  ]);
  const withTemplate = await startTestServer(
    t,
    ec2GuestsConfig({}, "default_template = default.tmpl"),
    {
      files: {
        "userdata/default.tmpl": template,
        "userdata/52:54:00:00:00:12.yaml": "#!/bin/sh\necho {{hostname}} & done\n",
      },
    },
  );
  await expectRows(withTemplate, ALPHA.ip, [
    [
      "/2009-04-04/user-data",
      {
        status: 200,
        contentType: OCTETS,
        body: `#cloud-config\nhostname: alpha\nssh_authorized_keys:\n  - ${KEYS.backup}\n`,
      },
    ],
  ]);
  // beta's file is found by its MAC.
  await expectRows(withTemplate, BETA.ip, [
    [
      "/latest/user-data",
      { status: 200, contentType: OCTETS, body: "#!/bin/sh\necho beta & done\n" },
    ],
  ]);
});

test("userdata_fallback = no: a guest without a file gets 404 (none), one with a file gets it", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig({}, "userdata_fallback = no"), {
    files: { "userdata/beta": "#cloud-config\n" },
  });
  await expectRows(server, ALPHA.ip, [["/latest/user-data", { status: 404 }]]);
  await expectRows(server, BETA.ip, [
    ["/latest/user-data", { status: 200, body: "#cloud-config\n", contentType: OCTETS }],
  ]);
});

test("a broken template fails only that guest's user-data, with a 500 naming file, line and column", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/alpha": "ok\n{{nope}}\n" },
  });
  const res = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(res.status, 500);
  assert.equal(res.body, 'user-data template error: alpha:2:3: no value named "nope"\n');
  await expectRows(server, ALPHA.ip, [["/latest/meta-data/hostname", "alpha"]]);
  await expectRows(server, BETA.ip, [["/latest/user-data", { status: 200, contentType: OCTETS }]]);
});

test("an edited template is served at once, without a restart (renderings are not kept stale)", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/alpha": "one {{hostname}}\n" },
  });
  await expectRows(server, ALPHA.ip, [["/latest/user-data", { status: 200, body: "one alpha\n" }]]);
  await writeFile(join(server.dir, "userdata", "alpha"), "two {{hostname}}\n");
  let body = "";
  // The directory watch drops the cache at once; the age limit (5 s) would do it anyway.
  for (let i = 0; i < 70 && body !== "two alpha\n"; i++) {
    await sleep(100);
    body = (await server.request("/latest/user-data", { from: ALPHA.ip })).body;
  }
  assert.equal(body, "two alpha\n");
  // beta's built-in user-data is unaffected.
  assert.match(
    (await server.request("/latest/user-data", { from: BETA.ip })).body,
    /^#cloud-config\nhostname: beta\n/,
  );
});
