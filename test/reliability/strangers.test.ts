/**
 * Issue #11 item 8: a client that is no known guest learns nothing — 404 for every method and
 * every path, malformed or not — while a known guest still gets 405 and 400 where they apply.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, STRANGER, twoGuestsConfig } from "../helpers/two-guests.js";
import { ec2GuestsConfig } from "../ec2/helpers/ec2-guests.js";

const METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"];
const PATHS = [
  "/",
  "/latest/meta-data/",
  "/service/name",
  "/%zz",
  "/latest/%E0%A4%A",
  "/openstack",
];

test("a stranger gets 404 for every method and every path", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  for (const method of METHODS) {
    for (const path of PATHS) {
      const res = await server.request(path, { from: STRANGER, method });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.headers.allow, undefined, `${method} ${path}: no Allow header`);
    }
  }
});

test("a known guest is still told 405 for an unknown method and 400 for a malformed path", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig());
  const post = await server.request("/latest/meta-data/", { from: ALPHA.ip, method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, "GET, HEAD");
  assert.equal((await server.request("/%zz", { from: ALPHA.ip })).status, 400);
});

test("require_token = yes covers /service/ too: 401 without a token, 200 with one", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig({ require_token: "yes" }));
  for (const path of ["/service/name", "/service/", "/service/version"]) {
    assert.equal((await server.request(path, { from: ALPHA.ip })).status, 401, path);
  }
  const put = await server.request("/latest/api/token", {
    from: ALPHA.ip,
    method: "PUT",
    headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" },
  });
  assert.equal(put.status, 200);
  const headers = { "X-aws-ec2-metadata-token": put.body };
  const name = await server.request("/service/name", { from: ALPHA.ip, headers });
  assert.equal(name.status, 200);
  const bad = await server.request("/service/name", {
    from: ALPHA.ip,
    headers: { "X-aws-ec2-metadata-token": `${put.body}x` },
  });
  assert.equal(bad.status, 401, "a bad token is refused on /service/ as elsewhere");
  // Without require_token, /service/ answers as before.
  const open = await startTestServer(t, ec2GuestsConfig());
  assert.equal((await open.request("/service/name", { from: ALPHA.ip })).status, 200);
});
