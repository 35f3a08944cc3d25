/**
 * Issue #11 items 2 and 9: every signal an operator might send is handled or ignored (none
 * kills the server, none opens Node's inspector), SIGHUP and SIGUSR1 reopen the log even after
 * a write error, and SIGTERM still ends it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { IGNORED_SIGNALS } from "../../src/cli/signals.js";
import { serveInBackground } from "../helpers/cli.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";
import { answering, stopsOnSigterm } from "./server-process.js";

test("no signal an operator might send kills the server or opens the inspector", async (t) => {
  const server = await serveInBackground(t, (port) => twoGuestsConfig("", `port = ${port}`));
  await answering(server.port);
  for (const signal of ["SIGUSR1", "SIGHUP", ...IGNORED_SIGNALS] as const) {
    server.child.kill(signal);
    await new Promise((r) => setTimeout(r, 100));
    const r = await send({ port: server.port, from: BETA.ip, path: "/latest/meta-data/" });
    assert.equal(r.status, 200, `answers after ${signal}`);
    assert.equal(server.child.exitCode, null, `still running after ${signal}`);
  }
  assert.doesNotMatch(server.output(), /Debugger listening|inspector/i);
  await stopsOnSigterm(server.child);
});

test("SIGHUP and SIGUSR1 after a log write error keep the server running", async (t) => {
  const server = await serveInBackground(t, (port) =>
    twoGuestsConfig("", `port = ${port}`).replace("logfile = -", "logfile = /dev/full"),
  );
  await answering(server.port);
  for (const signal of ["SIGHUP", "SIGUSR1", "SIGHUP"] as const) {
    await send({ port: server.port, from: ALPHA.ip, path: "/latest/meta-data/" });
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill(signal);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(server.child.exitCode, null, `still running after ${signal}: ${server.output()}`);
  }
  await answering(server.port);
  assert.match(server.output(), /cannot write the log to \/dev\/full/);
  await stopsOnSigterm(server.child);
});
