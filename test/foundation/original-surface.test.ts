/**
 * The original's whole HTTP surface, for two guests at distinct source addresses, under every
 * served version: exact bodies, content types, and status codes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS, STRANGER, twoGuestsConfig } from "../helpers/two-guests.js";

const VERSIONS = ["2009-04-04", "2016-09-02", "2018-09-24", "2021-03-23", "latest"];

test("the original's routes answer each guest with its own values", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  for (const guest of [ALPHA, BETA]) {
    const rows: Array<[string, string]> = [
      ["/", VERSIONS.map((v) => `${v}/`).join("\n")],
      ["/service/", "name\ntype\nversion\nec2_versions"],
      ["/service/name", "mdserver"],
      ["/service/type", "mdserver"],
      ["/service/ec2_versions", VERSIONS.join("\n")],
    ];
    for (const v of VERSIONS) {
      rows.push(
        [`/${v}/meta-data/hostname`, guest.name],
        [`/${v}/meta-data/instance-id`, guest.instanceId],
        [`/${v}/meta-data/public-keys/`, "0=default\n1=backup"],
        [`/${v}/meta-data/public-keys/0/`, "openssh-key"],
        [`/${v}/meta-data/public-keys/0/openssh-key`, KEYS.default],
        [`/${v}/meta-data/public-keys/1/openssh-key`, KEYS.backup],
        // The original also answered by key name.
        [`/${v}/meta-data/public-keys/backup/openssh-key`, KEYS.backup],
      );
    }
    for (const [path, body] of rows) {
      const res = await server.request(path, { from: guest.ip });
      assert.equal(res.status, 200, `${guest.name} ${path}`);
      assert.equal(res.body, body, `${guest.name} ${path}`);
      assert.equal(res.headers["content-type"], "text/plain", `${guest.name} ${path}`);
    }
  }
});

test("version listings hold meta-data/ and user-data; meta-data/ holds the original's three", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  const version = await server.request("/2009-04-04/", { from: ALPHA.ip });
  assert.deepEqual(version.body.split("\n"), ["dynamic/", "meta-data/", "user-data"]);
  const meta = (await server.request("/2009-04-04/meta-data/", { from: ALPHA.ip })).body.split(
    "\n",
  );
  for (const entry of ["instance-id", "hostname", "public-keys/"])
    assert.ok(meta.includes(entry), entry);
});

test("single values carry no trailing newline; listings have no empty lines", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  const hostname = await server.request("/latest/meta-data/hostname", { from: ALPHA.ip });
  assert.equal(hostname.body, "alpha");
  const listing = await server.request("/latest/meta-data/", { from: ALPHA.ip });
  assert.ok(!listing.body.endsWith("\n"));
  assert.ok(!listing.body.split("\n").includes(""));
});

test("paths: repeated slashes collapse, a trailing slash on a leaf is tolerated, unknown paths 404", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  const rows: Array<[string, number, string?]> = [
    ["//latest/meta-data/hostname", 200, "alpha"],
    ["/latest//meta-data///instance-id", 200, ALPHA.instanceId],
    ["/latest/meta-data/hostname/", 200, "alpha"],
    ["/latest/meta-data/public-keys", 200, "0=default\n1=backup"],
    ["/latest/meta-data/hostname?x=1", 200, "alpha"],
    ["/latest/meta-data/nonexistent", 404],
    ["/latest/meta-data/public-keys/7/openssh-key", 404],
    ["/1999-01-01/meta-data/hostname", 404],
    ["/nothing-here", 404],
    ["/latest/meta-data/%zz", 400],
  ];
  for (const [path, status, body] of rows) {
    const res = await server.request(path, { from: ALPHA.ip });
    assert.equal(res.status, status, path);
    if (body !== undefined) assert.equal(res.body, body, path);
  }
});

test("methods: HEAD answers headers only, others than GET/HEAD/PUT get 405", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  const head = await server.request("/latest/meta-data/hostname", {
    from: ALPHA.ip,
    method: "HEAD",
  });
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
  assert.equal(head.headers["content-length"], "5");
  for (const method of ["POST", "DELETE", "PATCH"]) {
    const res = await server.request("/latest/meta-data/hostname", { from: ALPHA.ip, method });
    assert.equal(res.status, 405, method);
    assert.match(String(res.headers.allow), /GET/);
  }
  const put = await server.request("/latest/meta-data/hostname", { from: ALPHA.ip, method: "PUT" });
  assert.equal(put.status, 405);
});

test("an unknown client gets 404 everywhere and learns nothing", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  for (const path of [
    "/",
    "/latest/meta-data/",
    "/latest/meta-data/hostname",
    "/latest/user-data",
    "/service/",
  ]) {
    const res = await server.request(path, { from: STRANGER });
    assert.equal(res.status, 404, path);
    assert.equal(res.body, "not found\n", path);
    for (const secret of [ALPHA.name, BETA.name, KEYS.default])
      assert.ok(!res.body.includes(secret));
  }
});

test("with fallback_identity on, an unknown client is vm-<last octet>, as in the original", async (t) => {
  const server = await startTestServer(
    t,
    twoGuestsConfig("", "fallback_identity = yes\nhostname_prefix = guest"),
  );
  const res = await server.request("/latest/meta-data/hostname", { from: STRANGER });
  assert.equal(res.status, 200);
  assert.equal(res.body, "guest-99");
  const known = await server.request("/latest/meta-data/hostname", { from: ALPHA.ip });
  assert.equal(known.body, "alpha");
});

test("instance_id = ip gives the original's i-<client address>", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("[ec2]\ninstance_id = ip\n"));
  const res = await server.request("/latest/meta-data/instance-id", { from: BETA.ip });
  assert.equal(res.body, `i-${BETA.ip}`);
});
