import assert from "node:assert/strict";
import { test } from "node:test";
import { Sampler } from "./sampler.js";

test("repeated lines of one client are dropped over the rate and counted on the next one", () => {
  let now = 0;
  const sampler = new Sampler(1, 3, () => now);
  assert.deepEqual(
    [0, 1, 2, 3, 4].map(() => sampler.admit("a")),
    [0, 0, 0, undefined, undefined],
  );
  assert.equal(sampler.admit("b"), 0);
  now = 1000;
  assert.equal(sampler.admit("a"), 2);
  assert.equal(sampler.admit("a"), undefined);
  assert.deepEqual([...sampler.takeDropped()], [["a", 1]]);
  assert.deepEqual([...sampler.takeDropped()], []);
});
