/**
 * The HTTP layer as a host operator relies on it: several listen addresses (IPv4 and IPv6),
 * an address that appears later, time-outs against slow clients, one log line per request
 * with no secrets in it.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger, silentLogger } from "../../src/log/logger.js";
import { startMdserver } from "../../src/mdserver.js";
import { freePort } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { addLoopbackAddress, startInNamespace } from "../helpers/mdserver-in-netns.js";
import { send } from "../helpers/http-client.js";
import { startTestServer, tempDir, writeFiles } from "../helpers/test-server.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";

test("listens on every configured address, IPv4 and IPv6, and identifies IPv6 clients", async (t) => {
  const dir = await tempDir(t);
  const port = await freePort();
  await writeFiles(dir, {
    "mdserver.conf": `[mdserver]\nport = ${port}\nlisten_address = 127.0.0.1, ::1\nuserdata_dir = .\nlogfile = -\ninstance_source = static\n[instance:six]\nip = 127.0.0.1, 0:0:0:0:0:0:0:1\n`,
  });
  const { config } = await loadConfig(join(dir, "mdserver.conf"));
  const server = await startMdserver(config, silentLogger());
  t.after(() => server.close());
  assert.equal(server.bound.length, 2);
  const v4 = await send({ port, path: "/latest/meta-data/hostname" });
  const v6 = await send({ port, host: "::1", from: "::1", path: "/latest/meta-data/hostname" });
  assert.equal(v4.body, "six");
  assert.equal(v6.body, "six");
});

test("an address that does not exist yet does not stop the others from serving", async (t) => {
  const dir = await tempDir(t);
  const port = await freePort();
  // 192.0.2.1 (TEST-NET-1) is on no interface here: binding it fails with EADDRNOTAVAIL.
  await writeFiles(dir, {
    "mdserver.conf": twoGuestsConfig(
      "",
      `port = ${port}\nlisten_address = 192.0.2.1, 127.0.0.1`,
    ).replace("listen_address = 127.0.0.1\n", ""),
    "userdata/.keep": "",
  });
  const { config } = await loadConfig(join(dir, "mdserver.conf"));
  const server = await startMdserver(config, silentLogger());
  t.after(() => server.close());
  assert.deepEqual(
    server.bound.map((b) => b.address),
    ["127.0.0.1"],
  );
  const res = await send({ port, from: ALPHA.ip, path: "/latest/meta-data/hostname" });
  assert.equal(res.body, "alpha");
});

test("an address that appears after start-up is bound once it exists", async (t) => {
  // In a network namespace of our own, so adding the address touches nothing else.
  const ns = await startInNamespace(t, {
    addresses: [],
    config: `[mdserver]\nport = 8080\nlisten_address = 127.0.0.1, 169.254.169.254\nuserdata_dir = .\nlogfile = -\ninstance_source = static\n[instance:late]\nip = 169.254.169.254\n`,
    readyWhen: "address not present yet",
  });
  await addLoopbackAddress(ns.name, "169.254.169.254/32");
  await eventually("the late address to be bound", () =>
    ns.server.lines.some((l) =>
      l.includes('"address":"169.254.169.254","port":8080,"msg":"listening"'),
    ),
  );
  const body = await ns.exec("curl", [
    "-s",
    "--max-time",
    "5",
    "http://169.254.169.254:8080/latest/meta-data/hostname",
  ]);
  assert.equal(body, "late");
});

test("a port already in use is a start-up error", async (t) => {
  const first = await startTestServer(t, twoGuestsConfig());
  const dir = await tempDir(t);
  await writeFiles(dir, {
    "m.conf": twoGuestsConfig("", `port = ${first.port}`),
    "userdata/.keep": "",
  });
  const { config } = await loadConfig(join(dir, "m.conf"));
  await assert.rejects(startMdserver(config, silentLogger()), /EADDRINUSE/);
});

test("a client that sends its headers too slowly is disconnected", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    timeouts: { headers: 300, request: 500, keepAlive: 200, idleSocket: 2000 },
  });
  const socket = connect({ port: server.port, host: "127.0.0.1", localAddress: ALPHA.ip });
  const started = Date.now();
  let received = "";
  socket.on("data", (d: Buffer) => (received += d.toString()));
  socket.write("GET /latest/meta-data/hostname HTTP/1.1\r\nHost: x\r\n");
  // Never finish the headers; the server must close the connection by itself.
  const closedAfter = await new Promise<number>((resolve, reject) => {
    socket.on("close", () => resolve(Date.now() - started));
    socket.on("error", () => undefined);
    setTimeout(() => reject(new Error("slow client was not disconnected within 5 s")), 5000);
  });
  socket.destroy();
  assert.match(received, /^HTTP\/1\.1 408 /);
  assert.ok(closedAfter < 3000, `closed after ${closedAfter} ms`);
});

test("an idle keep-alive connection is closed after the keep-alive time-out", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    timeouts: { headers: 1000, request: 2000, keepAlive: 200, idleSocket: 5000 },
  });
  const socket = connect({ port: server.port, host: "127.0.0.1", localAddress: ALPHA.ip });
  let received = "";
  socket.on("data", (d: Buffer) => (received += d.toString()));
  socket.write("GET /latest/meta-data/hostname HTTP/1.1\r\nHost: x\r\n\r\n");
  const started = Date.now();
  const closedAfter = await new Promise<number>((resolve, reject) => {
    socket.on("close", () => resolve(Date.now() - started));
    setTimeout(() => reject(new Error("idle connection kept open")), 5000);
  });
  assert.match(received, /^HTTP\/1\.1 200 OK/);
  assert.ok(closedAfter < 2000, `closed after ${closedAfter} ms`);
});

test("one JSON log line per request: client, instance, method, path, status, duration; no secrets", async (t) => {
  const dir = await tempDir(t);
  const logfile = join(dir, "mdserver.log");
  const password = "$6$secretsalt$SECRETHASHVALUE";
  const log = createLogger({ logfile, loglevel: "info", debug: false });
  const server = await startTestServer(t, twoGuestsConfig("", `password = ${password}`), {
    log,
    files: { "userdata/alpha": "pw: {{mdserver_password}}\n", "userdata/beta": "{{oops}}\n" },
  });
  const userdata = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(userdata.body, `pw: ${password}\n`);
  await server.request("/latest/meta-data/nope", { from: ALPHA.ip });
  await server.request("/latest/meta-data/", { from: "127.0.0.99" });
  for (let i = 0; i < 3; i++) await server.request("/latest/user-data", { from: BETA.ip });
  log.flush();
  await new Promise((r) => setTimeout(r, 200));
  const lines = (await readFile(logfile, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const requests = lines.filter((l) => l.msg === "request");
  assert.deepEqual(
    requests.map((r) => [r.client, r.instance, r.method, r.path, r.status]),
    [
      [ALPHA.ip, "alpha", "GET", "/latest/user-data", 200],
      [ALPHA.ip, "alpha", "GET", "/latest/meta-data/nope", 404],
      ["127.0.0.99", undefined, "GET", "/latest/meta-data/", 404],
      [BETA.ip, "beta", "GET", "/latest/user-data", 500],
      [BETA.ip, "beta", "GET", "/latest/user-data", 500],
      [BETA.ip, "beta", "GET", "/latest/user-data", 500],
    ],
  );
  // The broken template is logged for the operator, with its path and line, once (not per request).
  const failures = lines.filter((l) => l.msg === "request failed");
  assert.equal(failures.length, 1);
  assert.match(JSON.stringify(failures[0]), /userdata\/beta:1:\d+: no value named \\"oops\\"/);
  for (const r of requests) assert.equal(typeof r.ms, "number");
  assert.ok(!(await readFile(logfile, "utf8")).includes("SECRETHASHVALUE"));
});
