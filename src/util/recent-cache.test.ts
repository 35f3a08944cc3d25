import assert from "node:assert/strict";
import { test } from "node:test";
import { RecentCache } from "./recent-cache.js";

test("keeps the most recently used entries up to its limit", () => {
  const cache = new RecentCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  assert.equal(cache.get("a"), 1); // a is now newer than b
  cache.set("c", 3);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("c"), 3);
  assert.equal(cache.size, 2);
  cache.set("c", 4); // replacing does not grow it
  assert.equal(cache.size, 2);
  assert.equal(cache.get("c"), 4);
});
