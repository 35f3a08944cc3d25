import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectionLimit } from "./connection-limit.js";

test("one client is held to its share; the total caps everyone; closing frees a place", () => {
  const limit = new ConnectionLimit({ connections: 5, clientConnections: 2 });
  const [a1, a2, a3, b, c, d, e] = [{}, {}, {}, {}, {}, {}, {}];
  assert.equal(limit.admit("a", a1), undefined);
  assert.equal(limit.admit("a", a2), undefined);
  assert.equal(limit.admit("a", a3), "client");
  assert.equal(limit.admit("b", b), undefined);
  assert.equal(limit.admit("c", c), undefined);
  assert.equal(limit.admit("d", d), undefined);
  assert.equal(limit.admit("e", e), "total");
  limit.release(a1);
  assert.equal(limit.admit("e", e), undefined);
  assert.equal(limit.admit("a", a3), "total");
  limit.release(b);
  assert.equal(limit.admit("a", a3), undefined);
  assert.equal(limit.admit("a", {}), "client");
});

test("releasing a connection twice, or one never admitted, frees nothing more", () => {
  const limit = new ConnectionLimit({ connections: 10, clientConnections: 2 });
  const [a1, a2, a3] = [{}, {}, {}];
  limit.admit("a", a1);
  limit.admit("a", a2);
  limit.release(a1);
  limit.release(a1);
  limit.release({});
  assert.equal(limit.admit("a", a3), undefined);
  assert.equal(limit.admit("a", {}), "client");
});

test("the connections of one client can be listed (to close them all)", () => {
  const limit = new ConnectionLimit({ connections: 10, clientConnections: 3 });
  const [a1, a2, b] = [{}, {}, {}];
  limit.admit("a", a1);
  limit.admit("a", a2);
  limit.admit("b", b);
  assert.deepEqual(limit.of("a"), [a1, a2]);
  limit.release(a1);
  assert.deepEqual(limit.of("a"), [a2]);
  assert.deepEqual(limit.of("c"), []);
});
