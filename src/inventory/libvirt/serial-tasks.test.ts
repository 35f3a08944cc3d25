import assert from "node:assert/strict";
import { test } from "node:test";
import { SerialTasks } from "./serial-tasks.js";

test("tasks run one after another; a waiting task of the same kind is joined, not repeated", async () => {
  const tasks = new SerialTasks();
  const log: string[] = [];
  const task = (name: string) => async () => {
    log.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push(`end ${name}`);
  };
  const first = tasks.run("full", task("full-1"));
  // Asked again before it started: the same run.
  assert.equal(tasks.run("full", task("never")), first);
  await new Promise((resolve) => setTimeout(resolve, 1));
  const second = tasks.run("reconcile", task("reconcile"));
  const third = tasks.run("full", task("full-2"));
  const fourth = tasks.run("full", task("full-3"));
  assert.equal(third, fourth);
  await Promise.all([first, second, third]);
  assert.deepEqual(log, [
    "start full-1",
    "end full-1",
    "start reconcile",
    "end reconcile",
    "start full-2",
    "end full-2",
  ]);
});

test("a failing task does not stop the ones after it", async () => {
  const tasks = new SerialTasks();
  const failing = tasks.run("a", () => Promise.reject(new Error("boom")));
  let ran = false;
  await tasks.run("b", async () => {
    ran = true;
  });
  await failing;
  assert.equal(ran, true);
});
