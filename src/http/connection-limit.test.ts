import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectionLimit } from "./connection-limit.js";

test("one client is held to its share; the total caps everyone; closing frees a place", () => {
  const limit = new ConnectionLimit({ connections: 5, clientConnections: 2 });
  assert.equal(limit.admit("a"), undefined);
  assert.equal(limit.admit("a"), undefined);
  assert.equal(limit.admit("a"), "client");
  assert.equal(limit.admit("b"), undefined);
  assert.equal(limit.admit("c"), undefined);
  assert.equal(limit.admit("d"), undefined);
  assert.equal(limit.admit("e"), "total");
  limit.release("a");
  assert.equal(limit.admit("e"), undefined);
  assert.equal(limit.admit("a"), "total");
  limit.release("b");
  assert.equal(limit.admit("a"), undefined);
  assert.equal(limit.admit("a"), "client");
});
