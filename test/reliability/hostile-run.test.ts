/**
 * Issue #11, the hostile-message run: over 10,000 malformed messages on raw sockets, from a
 * known guest and from strangers, interleaved with valid guests' requests. The server must not
 * crash, must give no wrong answer (every valid request gets exactly its own data; no hostile
 * message gets a 500, another guest's data, or — from a stranger — anything but an error), and
 * its memory must come back near where it started.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { serveInBackground } from "../helpers/cli.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";
import { hostileMessage } from "./hostile-messages.js";
import { rssMb } from "./guest-load.js";
import { answering, stopsOnSigterm } from "./server-process.js";

const MESSAGES = 10_000;
const DEADLINE_MS = 45_000;
const ALPHA_WORKERS = 8; // below max_client_connections (16)
const STRANGER_WORKERS = 32;
const SEED = 11;
const FILES = {
  "userdata/alpha": "#cloud-config\nhostname: alpha-own-marker\n",
  "userdata/beta": "#cloud-config\nhostname: beta-secret-marker\n",
};
const BETA_SECRETS = [BETA.instanceId, "beta-secret-marker", BETA.uuid];

/** Writes `message`, half-closes, and collects what comes back until the server closes. */
function raw(port: number, from: string, message: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1", localAddress: from });
    let got = "";
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on("data", (d: Buffer) => {
      if (got.length < 1 << 18) got += d.toString("latin1");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.end(message);
  });
}

/** The status codes of every answer in `text` (a connection may carry several). */
function statuses(text: string): number[] {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

test("10,000 hostile messages: no crash, no wrong answer, memory back near its start", async (t) => {
  const server = await serveInBackground(
    t,
    // No request rate, so the known attacker's messages reach the handler rather than a 429.
    (port) => twoGuestsConfig("", `port = ${port}\nloglevel = warning\nclient_rate = 0`),
    FILES,
  );
  const pid = server.child.pid ?? -1;
  await answering(server.port);
  const valid = async (from: string, path: string, want: string): Promise<string | undefined> => {
    const res = await send({ port: server.port, from, path }).catch((e: Error) => e);
    if (res instanceof Error) return `${from} ${path}: ${res.message}`;
    if (res.status !== 200 || res.body !== want)
      return `${from} ${path}: ${res.status} ${res.body}`;
    return undefined;
  };
  // Warm-up, so that "before" is the memory of a server that has served.
  for (let i = 0; i < 100; i++)
    await valid(BETA.ip, "/latest/meta-data/instance-id", BETA.instanceId);
  const before = await rssMb(pid);

  const started = Date.now();
  const wrong: string[] = [];
  let next = 0;
  let answered = 0;
  let validCount = 0;
  let maxRss = before;
  const sampler = setInterval(() => {
    void rssMb(pid).then((mb) => (maxRss = Math.max(maxRss, mb)));
  }, 200);
  const worker = async (from: string, known: boolean): Promise<void> => {
    while (next < MESSAGES && Date.now() - started < DEADLINE_MS) {
      const index = next++;
      const text = await raw(server.port, from, hostileMessage(SEED, index));
      if (text.length > 0) answered++;
      const codes = statuses(text);
      if (codes.includes(500)) wrong.push(`#${index} from ${from}: 500`);
      if (BETA_SECRETS.some((s) => text.includes(s))) wrong.push(`#${index}: beta's data`);
      if (!known && codes.some((c) => c < 400)) wrong.push(`#${index} stranger got ${codes}`);
      if (known && index % 10 === 0) {
        validCount++;
        const bad = await valid(from, "/latest/user-data", FILES["userdata/alpha"]);
        if (bad) wrong.push(bad);
      }
    }
  };
  const polite = (async () => {
    while (next < MESSAGES && Date.now() - started < DEADLINE_MS) {
      for (const [path, want] of [
        ["/latest/meta-data/instance-id", BETA.instanceId],
        ["/latest/user-data", FILES["userdata/beta"]],
      ] as const) {
        validCount++;
        const bad = await valid(BETA.ip, path, want);
        if (bad) wrong.push(bad);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.all([
    ...Array.from({ length: ALPHA_WORKERS }, () => worker(ALPHA.ip, true)),
    ...Array.from({ length: STRANGER_WORKERS }, (_, i) => worker(`127.0.0.${100 + i}`, false)),
    polite,
  ]);
  clearInterval(sampler);
  const took = Date.now() - started;
  await new Promise((r) => setTimeout(r, 3000));
  const after = await rssMb(pid);
  t.diagnostic(
    `${next} hostile messages in ${took} ms (${answered} answered), ${validCount} valid requests; RSS ${before.toFixed(0)} -> max ${maxRss.toFixed(0)} -> ${after.toFixed(0)} MB after 3 s`,
  );
  assert.ok(next >= MESSAGES, `only ${next} messages sent within ${DEADLINE_MS} ms`);
  assert.equal(server.child.exitCode, null, `the server exited:\n${server.output().slice(-2000)}`);
  assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} wrong answers`);
  assert.ok(maxRss < 200, `RSS reached ${maxRss.toFixed(0)} MB`);
  assert.ok(after < before + 50, `RSS ${after.toFixed(0)} MB after, ${before.toFixed(0)} before`);
  await stopsOnSigterm(server.child);
});
