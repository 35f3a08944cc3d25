/**
 * Issue #11 item 4: one guest holding as many keep-alive connections as it can, under an
 * open-file limit of 256 set on the server with prlimit, does not keep another guest from
 * connecting; the refusals are logged.
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { test } from "node:test";
import { serveInBackground } from "../helpers/cli.js";
import { run } from "../helpers/daemon.js";
import { eventually } from "../helpers/eventually.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";
import { answering, stopsOnSigterm } from "./server-process.js";

test("a guest hogging connections under a 256 open-file limit does not lock out another", async (t) => {
  const server = await serveInBackground(t, (port) => twoGuestsConfig("", `port = ${port}`));
  await answering(server.port);
  await run("prlimit", [`--pid=${server.child.pid}`, "--nofile=256:256"]);
  const held: Socket[] = [];
  t.after(() => held.forEach((s) => s.destroy()));
  for (let i = 0; i < 235; i++) {
    const socket = connect({ port: server.port, host: "127.0.0.1", localAddress: ALPHA.ip });
    socket.on("error", () => undefined);
    held.push(socket);
  }
  await new Promise((r) => setTimeout(r, 1000));
  for (let i = 0; i < 20; i++) {
    const res = await send({ port: server.port, from: BETA.ip, path: "/latest/meta-data/" });
    assert.equal(res.status, 200, `request ${i} of the other guest`);
  }
  await eventually("the refusal to be logged", () =>
    /connection refused: limit reached/.test(server.output()),
  );
  await stopsOnSigterm(server.child);
});
