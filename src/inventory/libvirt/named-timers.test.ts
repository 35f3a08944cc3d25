import assert from "node:assert/strict";
import { test } from "node:test";
import { NamedTimers } from "./named-timers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("setting a name again replaces its timer; stop() cancels everything for good", async () => {
  const timers = new NamedTimers();
  const ran: string[] = [];
  timers.set("retry", 5, () => ran.push("first"));
  timers.set("retry", 10, () => ran.push("second"));
  assert.equal(timers.has("retry"), true);
  await sleep(30);
  assert.deepEqual(ran, ["second"]);
  assert.equal(timers.has("retry"), false);

  timers.set("later", 5, () => ran.push("later"));
  timers.stop();
  timers.set("after-stop", 0, () => ran.push("after-stop"));
  await sleep(20);
  assert.deepEqual(ran, ["second"]);
});

test("every() repeats until stopped", async () => {
  const timers = new NamedTimers();
  let count = 0;
  timers.every("tick", 5, () => count++);
  await sleep(40);
  timers.stop();
  const seen = count;
  assert.ok(seen >= 2, `${seen}`);
  await sleep(20);
  assert.equal(count, seen);
});
