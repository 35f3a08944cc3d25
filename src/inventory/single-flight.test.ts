import assert from "node:assert/strict";
import { test } from "node:test";
import { SingleFlight } from "./single-flight.js";

function counter(ms: number) {
  const starts: number[] = [];
  const task = async () => {
    starts.push(Date.now());
    await new Promise((r) => setTimeout(r, ms));
  };
  return { starts, task };
}

test("callers arriving together during a run share the next one", async () => {
  const { starts, task } = counter(20);
  const flight = new SingleFlight(0, task, (error) => assert.fail(String(error)));
  const runs = [flight.run(), flight.run(), flight.run()];
  assert.equal(runs[1], runs[2]);
  await Promise.all(runs);
  assert.equal(starts.length, 2);
});

test("a caller arriving during a run waits for the next one, which starts after it", async () => {
  const { starts, task } = counter(30);
  const flight = new SingleFlight(0, task, (error) => assert.fail(String(error)));
  const first = flight.run();
  await new Promise((r) => setTimeout(r, 10));
  const arrived = Date.now();
  const [, second, third] = [first, flight.run(), flight.run()];
  assert.equal(second, third, "later callers share the queued run");
  await Promise.all([first, second]);
  assert.equal(starts.length, 2);
  assert.ok((starts[1] ?? 0) >= arrived);
});

test("runs start at least the interval apart; a caller within it waits for a trailing run", async () => {
  const { starts, task } = counter(5);
  const flight = new SingleFlight(150, task, (error) => assert.fail(String(error)));
  await flight.run();
  await flight.run();
  await flight.run();
  assert.equal(starts.length, 3);
  assert.ok(
    (starts[1] ?? 0) - (starts[0] ?? 0) >= 145,
    `gap ${(starts[1] ?? 0) - (starts[0] ?? 0)}`,
  );
  assert.ok((starts[2] ?? 0) - (starts[1] ?? 0) >= 145);
});

test("a failing run does not fail its callers; the failure is reported", async () => {
  const failures: unknown[] = [];
  const flight = new SingleFlight(
    0,
    () => Promise.reject(new Error("libvirt away")),
    (error) => failures.push(error),
  );
  await flight.run();
  assert.match(String(failures[0]), /libvirt away/);
});
