/** IMDSv2 session tokens: issue rules, checks on GET, binding to one guest, require_token. */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { startTestServer, type TestServer } from "../helpers/test-server.js";
import { ALPHA, BETA } from "../helpers/two-guests.js";
import { ec2GuestsConfig } from "./helpers/ec2-guests.js";

const TTL = "X-aws-ec2-metadata-token-ttl-seconds";
const TOKEN = "X-aws-ec2-metadata-token";

async function token(server: TestServer, from: string, ttl = "21600"): Promise<string> {
  const res = await server.request("/latest/api/token", {
    from,
    method: "PUT",
    headers: { [TTL]: ttl },
  });
  assert.equal(res.status, 200, res.body);
  return res.body;
}

test("token PUT: TTL rules, forwarded requests, dated versions", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig());
  const rows: Array<[path: string, headers: Record<string, string>, status: number]> = [
    ["/latest/api/token", { [TTL]: "1" }, 200],
    ["/latest/api/token", { [TTL]: "21600" }, 200],
    ["//latest//api/token", { [TTL]: "300" }, 200],
    ["/latest/api/token", {}, 400],
    ["/latest/api/token", { [TTL]: "0" }, 400],
    ["/latest/api/token", { [TTL]: "21601" }, 400],
    ["/latest/api/token", { [TTL]: "-5" }, 400],
    ["/latest/api/token", { [TTL]: "1.5" }, 400],
    ["/latest/api/token", { [TTL]: "sixty" }, 400],
    ["/latest/api/token", { [TTL]: "" }, 400],
    ["/latest/api/token", { [TTL]: "60", "X-Forwarded-For": "10.1.2.3" }, 403],
    ["/latest/api/token", { "X-Forwarded-For": "10.1.2.3" }, 403],
    ["/2021-03-23/api/token", { [TTL]: "60" }, 403],
    ["/2009-04-04/api/token", { [TTL]: "60" }, 403],
    ["/latest/meta-data/instance-id", { [TTL]: "60" }, 405],
  ];
  for (const [path, headers, status] of rows) {
    const res = await server.request(path, { from: ALPHA.ip, method: "PUT", headers });
    assert.equal(res.status, status, `PUT ${path} ${JSON.stringify(headers)}: ${res.body}`);
    if (status === 200) {
      assert.equal(res.headers[TTL.toLowerCase()], headers[TTL], "the TTL is echoed");
      assert.equal(res.headers["content-type"], "text/plain");
      assert.match(res.body, /^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    }
  }
  const get = await server.request("/latest/api/token", { from: ALPHA.ip });
  assert.equal(get.status, 405);
  assert.equal(get.headers.allow, "PUT");
});

test("GETs: no token works (IMDSv1), a good token works, bad, foreign or expired tokens get 401", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig());
  const path = "/latest/meta-data/instance-id";
  const alphaToken = await token(server, ALPHA.ip);
  const betaToken = await token(server, BETA.ip);
  const shortToken = await token(server, ALPHA.ip, "1");
  const [expiry, mac] = alphaToken.split(".") as [string, string];
  const rows: Array<[from: string, token: string | undefined, status: number, body?: string]> = [
    [ALPHA.ip, undefined, 200, ALPHA.instanceId],
    [ALPHA.ip, alphaToken, 200, ALPHA.instanceId],
    [BETA.ip, betaToken, 200, BETA.instanceId],
    [BETA.ip, alphaToken, 401],
    [ALPHA.ip, betaToken, 401],
    [ALPHA.ip, "garbage", 401],
    [ALPHA.ip, "", 401],
    // A later expiry with the same MAC: forged lifetimes do not verify.
    [ALPHA.ip, `${(Number.parseInt(expiry, 36) + 1000).toString(36)}.${mac}`, 401],
    // One character of the MAC changed (the first: every bit of it counts).
    [ALPHA.ip, `${expiry}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`, 401],
    [ALPHA.ip, shortToken, 200, ALPHA.instanceId],
  ];
  for (const [from, tok, status, body] of rows) {
    const res = await server.request(path, {
      from,
      headers: tok === undefined ? {} : { [TOKEN]: tok },
    });
    assert.equal(res.status, status, `${from} token ${tok}: ${res.body}`);
    if (body !== undefined) assert.equal(res.body, body);
    if (status === 401)
      for (const secret of [ALPHA.instanceId, BETA.instanceId])
        assert.ok(!res.body.includes(secret));
  }
  // User-data and listings are guarded the same way.
  for (const p of [
    "/latest/user-data",
    "/latest/meta-data/",
    "/",
    "/latest/dynamic/instance-identity/document",
  ]) {
    assert.equal(
      (await server.request(p, { from: BETA.ip, headers: { [TOKEN]: alphaToken } })).status,
      401,
      p,
    );
  }
  await sleep(1100);
  const expired = await server.request(path, { from: ALPHA.ip, headers: { [TOKEN]: shortToken } });
  assert.equal(expired.status, 401, "a 1-second token has expired after 1.1 s");
});

test("require_token = yes: GETs without a token get 401, with one they answer", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig({ require_token: "yes" }));
  for (const p of [
    "/latest/meta-data/instance-id",
    "/2009-04-04/meta-data/instance-id",
    "/latest/user-data",
    "/",
  ]) {
    const res = await server.request(p, { from: ALPHA.ip });
    assert.equal(res.status, 401, p);
  }
  const tok = await token(server, ALPHA.ip, "60");
  const res = await server.request("/2009-04-04/meta-data/instance-id", {
    from: ALPHA.ip,
    headers: { [TOKEN]: tok },
  });
  assert.equal(res.status, 200);
  assert.equal(res.body, ALPHA.instanceId);
  // The token is still bound to its guest.
  const other = await server.request("/latest/meta-data/instance-id", {
    from: BETA.ip,
    headers: { [TOKEN]: tok },
  });
  assert.equal(other.status, 401);
});

test("tokens do not survive a restart of the server", async (t) => {
  const config = ec2GuestsConfig();
  const first = await startTestServer(t, config);
  const tok = await token(first, ALPHA.ip);
  await first.server.close();
  const second = await startTestServer(t, config);
  const res = await second.request("/latest/meta-data/instance-id", {
    from: ALPHA.ip,
    headers: { [TOKEN]: tok },
  });
  assert.equal(res.status, 401);
});
