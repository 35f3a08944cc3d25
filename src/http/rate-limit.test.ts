import assert from "node:assert/strict";
import { test } from "node:test";
import { RateLimit } from "./rate-limit.js";

test("a client may make `burst` requests at once, then `rate` a second; others are not affected", () => {
  let now = 0;
  const limit = new RateLimit(10, 5, () => now);
  for (let i = 0; i < 5; i++) assert.equal(limit.take("a"), 0);
  assert.equal(limit.take("a"), 1);
  assert.equal(limit.take("b"), 0);
  now = 100; // one token back
  assert.equal(limit.take("a"), 0);
  assert.equal(limit.take("a"), 1);
  now = 10_000; // full again, never more than burst
  for (let i = 0; i < 5; i++) assert.equal(limit.take("a"), 0);
  assert.equal(limit.take("a"), 1);
});

test("a slow rate asks for a longer wait; rate 0 means no limit", () => {
  const limit = new RateLimit(0.25, 1, () => 0);
  assert.equal(limit.take("a"), 0);
  assert.equal(limit.take("a"), 4);
  const none = new RateLimit(0, 0);
  for (let i = 0; i < 1000; i++) assert.equal(none.take("a"), 0);
});

test("memory stays bounded when many addresses ask once", () => {
  let now = 0;
  const limit = new RateLimit(100, 2, () => now);
  for (let i = 0; i < 50_000; i++) {
    now += 1;
    limit.take(`10.0.${i >> 8}.${i & 255}`);
  }
  const size = (limit as unknown as { buckets: Map<string, unknown> }).buckets.size;
  assert.ok(size <= 10_000, `${size} buckets`);
});
