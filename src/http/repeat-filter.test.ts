import assert from "node:assert/strict";
import { test } from "node:test";
import { RepeatFilter } from "./repeat-filter.js";

test("the same error is let through once a minute; different errors each", () => {
  let now = 0;
  const filter = new RepeatFilter(() => now);
  assert.equal(filter.first(new Error("a.yaml:3: bad")), true);
  assert.equal(filter.first(new Error("a.yaml:3: bad")), false);
  assert.equal(filter.first(new Error("b.yaml:1: bad")), true);
  now = 60_000;
  assert.equal(filter.first(new Error("a.yaml:3: bad")), true);
});
