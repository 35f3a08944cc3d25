/** An `mdserver` child process of a reliability test: waits for it, signals it, ends it. */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { eventually } from "../helpers/eventually.js";
import { send } from "../helpers/http-client.js";
import { BETA } from "../helpers/two-guests.js";

/** Waits until the server on `port` answers a known guest. */
export async function answering(port: number, from: string = BETA.ip): Promise<void> {
  await eventually("the server to answer", async () => {
    const r = await send({ port, from, path: "/latest/meta-data/" });
    return r.status === 200;
  });
}

/** SIGTERM, then asserts it exits with 0 within `withinMs`; returns how long it took. */
export async function stopsOnSigterm(child: ChildProcess, withinMs = 5000): Promise<number> {
  const started = Date.now();
  child.kill("SIGTERM");
  await eventually(
    "the server to exit after SIGTERM",
    () => child.exitCode !== null || child.signalCode !== null,
    { timeoutMs: withinMs },
  );
  assert.equal(child.exitCode, 0, `exit code ${child.exitCode}, signal ${child.signalCode}`);
  return Date.now() - started;
}

/** SIGKILL (if it still runs), resolving once it has exited: its open files are closed then. */
export async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}
