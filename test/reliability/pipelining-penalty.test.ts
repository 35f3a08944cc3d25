/**
 * A client that pipelines more requests than a connection may hold is refused for a while
 * (src/http/penalties.ts): its connections are closed, and its next ones are closed on arrival
 * unanswered, while every other guest is served as before; the time over, it is served again.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { PIPELINING_PENALTY_MS } from "../../src/http/limits.js";
import { MAX_WAITING } from "../../src/http/one-at-a-time.js";
import { serveInBackground } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";
import { answering } from "./server-process.js";

const GET = "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n\r\n";

/** Sends `message` from `from`, half-closes, and collects what comes back until the server closes. */
function exchange(port: number, from: string, message: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1", localAddress: from });
    let got = "";
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on("data", (d: Buffer) => (got += d.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.end(message);
  });
}

test("a client pipelining past the cap is refused for a while; others are served", async (t) => {
  const server = await serveInBackground(t, (port) =>
    twoGuestsConfig("", `port = ${port}\nloglevel = warning`),
  );
  await answering(server.port);
  // A keep-alive connection of alpha's, idle, which the penalty closes too.
  const idle = connect({ port: server.port, host: "127.0.0.1", localAddress: ALPHA.ip });
  const idleClosed = new Promise((r) => idle.once("close", r));
  idle.on("error", () => undefined);
  // Read what comes (its answer), or the server's close would wait behind it unnoticed.
  idle.on("data", () => undefined);
  idle.write(GET);

  const overrun = await exchange(server.port, ALPHA.ip, GET.repeat(MAX_WAITING + 10));
  const penalised = Date.now();
  const answers = overrun.split("HTTP/1.1 200").length - 1;
  assert.ok(answers <= MAX_WAITING + 1, `${answers} pipelined requests answered`);
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error("alpha's idle connection was not closed")), 5000).unref(),
  );
  await Promise.race([idleClosed, timeout]);

  const refused = await exchange(server.port, ALPHA.ip, GET);
  assert.equal(refused, "", "alpha's new connection is closed unanswered");
  const beta = await send({
    port: server.port,
    from: BETA.ip,
    path: "/latest/meta-data/instance-id",
  });
  assert.equal(beta.status, 200);
  assert.equal(beta.body, BETA.instanceId);

  await eventually(
    "alpha to be served again",
    async () => (await exchange(server.port, ALPHA.ip, GET)).includes(ALPHA.instanceId),
    { timeoutMs: PIPELINING_PENALTY_MS + 5000, intervalMs: 250 },
  );
  const waited = Date.now() - penalised;
  assert.ok(waited >= PIPELINING_PENALTY_MS - 500, `served again after ${waited} ms`);
  assert.match(server.output(), /more than 32 requests pipelined/);
});
