/**
 * Issue #11 item 9: SIGTERM drains. A request still in flight when it arrives (a boot report
 * whose body the guest is still sending) is read to its end and answered in full, a keep-alive
 * connection that is idle is closed at once rather than kept to the end of the drain, and the
 * process then exits 0 promptly. (On the code before the hardening, SIGTERM reset every
 * connection: the guest's POST failed with "socket hang up".)
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { Agent, request, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, serveInBackground } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";
import { answering } from "./server-process.js";

/** A phone_home body, padded (unknown fields are ignored) so that it takes a while to send. */
const HOSTNAME = "alpha-draining";
const BODY = Buffer.from(
  `instance_id=${ALPHA.instanceId}&hostname=${HOSTNAME}&padding=${"p".repeat(6000)}`,
);
/** The body goes in this many pieces, PIECE_MS apart, most of them after SIGTERM. */
const PIECES = 6;
const PIECE_MS = 300;
/** The drain lasts 3 s at most (ListenerSet); a little more for a loaded machine. */
const EXIT_WITHIN_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The answer to a request, read to its end. */
function answer(req: ReturnType<typeof request>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    req.on("error", reject);
    req.on("response", (res: IncomingMessage) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
  });
}

test("SIGTERM lets a request in flight finish, closes an idle keep-alive connection, then exits 0", async (t) => {
  const adminPort = await freePort();
  const server = await serveInBackground(t, (port) =>
    twoGuestsConfig(
      `[admin]\nport = ${adminPort}\n`,
      `port = ${port}\nboot_reports_file = reports.json`,
    ),
  );
  await answering(server.port);
  const exited = new Promise<number>((resolve) =>
    server.child.once("exit", () => resolve(Date.now())),
  );
  const agents = [ALPHA, BETA].map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  t.after(() => agents.forEach((a) => a.destroy()));
  const [alphaAgent, betaAgent] = agents as [Agent, Agent];
  const to = (agent: Agent, from: string, method: string, path: string, headers = {}) =>
    request({
      host: "127.0.0.1",
      port: server.port,
      localAddress: from,
      agent,
      method,
      path,
      headers,
    });

  // Beta asks once and keeps its connection open, idle.
  const idle = to(betaAgent, BETA.ip, "GET", "/latest/meta-data/instance-id");
  let idleSocket: Socket | undefined;
  idle.on("socket", (s: Socket) => (idleSocket = s));
  idle.end();
  assert.deepEqual(await answer(idle), { status: 200, body: BETA.instanceId });
  let idleClosedAt = 0;
  assert.ok(idleSocket && !idleSocket.destroyed, "beta's connection is kept alive");
  idleSocket.once("close", () => (idleClosedAt = Date.now()));

  // Alpha starts its boot report: headers and a first piece of the body; the server is now
  // inside the request, waiting for the rest.
  const post = to(alphaAgent, ALPHA.ip, "POST", "/mdserver/boot-report", {
    "Content-Type": "application/x-www-form-urlencoded",
    "Content-Length": String(BODY.length),
  });
  const answered = answer(post);
  answered.catch(() => undefined);
  const piece = Math.ceil(BODY.length / PIECES);
  post.write(BODY.subarray(0, piece));
  await sleep(PIECE_MS);

  const termAt = Date.now();
  server.child.kill("SIGTERM");
  for (let i = 1; i < PIECES; i++) {
    await sleep(PIECE_MS);
    post.write(BODY.subarray(i * piece, (i + 1) * piece));
  }
  const lastPieceAt = Date.now();
  post.end();
  const reply = await answered.catch((error: Error) =>
    assert.fail(`the boot report in flight was not answered: ${error.message}\n${server.output()}`),
  );
  const answeredAt = Date.now();
  assert.deepEqual(reply, { status: 200, body: "ok" }, "the full, correct answer");

  let timer: NodeJS.Timeout | undefined;
  const exitAt = await Promise.race([
    exited,
    new Promise<number>((resolve) => (timer = setTimeout(() => resolve(0), EXIT_WITHIN_MS))),
  ]);
  clearTimeout(timer);
  t.diagnostic(
    `after SIGTERM: idle connection closed at ${idleClosedAt - termAt} ms, last piece sent at ` +
      `${lastPieceAt - termAt} ms, answered at ${answeredAt - termAt} ms, exit at ${exitAt - termAt} ms`,
  );
  assert.ok(exitAt > 0, `exited within ${EXIT_WITHIN_MS} ms of SIGTERM\n${server.output()}`);
  assert.equal(
    server.child.exitCode,
    0,
    `exit code ${server.child.exitCode}, signal ${server.child.signalCode}`,
  );
  assert.ok(
    idleClosedAt > 0 && idleClosedAt < lastPieceAt,
    "the idle connection was closed while the other request was still in flight",
  );
  // What the guest posted was taken whole, and kept.
  await eventually("the report to be saved", async () =>
    /alpha-draining/.test(await readFile(join(server.dir, "reports.json"), "utf8").catch(() => "")),
  );
  const saved = JSON.parse(await readFile(join(server.dir, "reports.json"), "utf8")) as {
    reports: Array<{ name: string; hostname: string; instanceId: string }>;
  };
  const report = saved.reports.find((r) => r.name === ALPHA.name);
  assert.deepEqual([report?.hostname, report?.instanceId], [HOSTNAME, ALPHA.instanceId]);
});
