/**
 * Issue #11 item 1: one known guest pipelining requests on a few connections, reading its
 * answers or not, must not stop the others: they keep answers within a bounded time, the
 * server's memory stays bounded, and SIGTERM still stops it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { serveInBackground } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";
import { floodInChild } from "./flood-child.js";
import { percentile, politeGuest, rssMb } from "./guest-load.js";

const USERDATA = `#cloud-config\nhostname: {{hostname}}\nruncmd:\n${"  - echo padding padding padding\n".repeat(20)}`;

// Generous for a loaded 2-core machine (on main: no answer at all for 10 s and more); the bench
// measures the real figure (goal: 50 ms).
const P99_LIMIT_MS = 3000;
const RSS_LIMIT_MB = 200;

for (const [connections, read] of [
  [5, false],
  [20, false],
  [5, true],
  [20, true],
] as const) {
  // max_client_connections is raised so that all 20 connections are accepted.
  test(`a guest pipelining on ${connections} connections (${read ? "reading" : "not reading"}) does not hold up another`, async (t) => {
    const server = await serveInBackground(
      t,
      (port) =>
        twoGuestsConfig("", `port = ${port}\nloglevel = warning\nmax_client_connections = 20`),
      { "userdata/alpha": USERDATA, "userdata/beta": USERDATA },
    );
    const pid = server.child.pid ?? -1;
    await eventually("the server to answer", async () => {
      const r = await send({ port: server.port, from: BETA.ip, path: "/latest/meta-data/" });
      return r.status === 200;
    });
    const before = await rssMb(pid);
    const flood = floodInChild({
      port: server.port,
      from: ALPHA.ip,
      path: "/latest/user-data",
      connections,
      perSend: 1000,
      durationMs: 4000,
      read,
    });
    const victim = await politeGuest(server.port, BETA.ip, "/latest/user-data", pid, flood);
    await flood;
    const p99 = percentile(victim.latencies, 99);
    const unanswered = victim.statuses.filter((s) => s !== 200).length;
    t.diagnostic(
      `RSS ${before.toFixed(0)} -> max ${victim.maxRssMb.toFixed(0)} MB; other guest: ${victim.latencies.length} requests, p99 ${p99.toFixed(1)} ms, ${unanswered} not answered 200`,
    );
    assert.equal(unanswered, 0, "every request of the other guest is answered 200");
    assert.ok(p99 < P99_LIMIT_MS, `other guest's p99 ${p99.toFixed(0)} ms`);
    assert.ok(victim.maxRssMb < RSS_LIMIT_MB, `RSS reached ${victim.maxRssMb.toFixed(0)} MB`);

    // The attacker is still a guest: once it behaves, it is answered again.
    await eventually(
      "the attacker to be answered again",
      async () =>
        (await send({ port: server.port, from: ALPHA.ip, path: "/latest/meta-data/" })).status ===
        200,
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    const stopped = Date.now();
    server.child.kill("SIGTERM");
    await eventually("the server to exit after SIGTERM", () => server.child.exitCode !== null, {
      timeoutMs: 5000,
    });
    assert.equal(server.child.exitCode, 0);
    t.diagnostic(`exited ${Date.now() - stopped} ms after SIGTERM`);
  });
}
