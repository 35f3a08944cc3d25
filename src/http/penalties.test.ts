import assert from "node:assert/strict";
import { test } from "node:test";
import { Penalties } from "./penalties.js";

test("a penalised client is refused for its time, then let in; others never", () => {
  let now = 1000;
  const penalties = new Penalties(5000, () => now);
  penalties.impose("a");
  assert.equal(penalties.has("a"), true);
  assert.equal(penalties.has("b"), false);
  now += 4999;
  assert.equal(penalties.has("a"), true);
  now += 1;
  assert.equal(penalties.has("a"), false);
  penalties.impose("a");
  assert.equal(penalties.has("a"), true, "a second offence starts a new time");
});

test("many penalised clients do not grow it without bound", () => {
  let now = 0;
  const penalties = new Penalties(10, () => now);
  for (let i = 0; i < 10_000; i++) penalties.impose(`c${i}`);
  now = 20;
  penalties.impose("last");
  assert.equal(penalties.has("c0"), false);
  assert.equal(penalties.has("last"), true);
});
