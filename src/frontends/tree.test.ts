import assert from "node:assert/strict";
import { test } from "node:test";
import { computed, dir, leaf, listing, resolveNode } from "./tree.js";

test("a listing shows directories with a trailing slash, labels, and hides hidden entries", async () => {
  const tree = dir([
    ["a", leaf("1")],
    ["sub", dir([["b", leaf("2")]])],
    ["0", dir([]), { label: "0=key" }],
    ["alias", leaf("3"), { hidden: true }],
    ["absent", undefined],
  ]);
  assert.equal(await listing(tree), "a\nsub/\n0=key");
  assert.deepEqual(resolveNode(tree, ["sub", "b"]), leaf("2"));
  assert.deepEqual(resolveNode(tree, ["alias"]), leaf("3"));
  assert.equal(resolveNode(tree, ["absent"]), undefined);
  assert.equal(resolveNode(tree, ["a", "deeper"]), undefined);
});

test("conditional entries are listed only when present at request time", async () => {
  let present = false;
  const tree = dir([
    ["always", leaf("x")],
    ["sometimes", computed(async () => undefined), { listedWhen: async () => present }],
  ]);
  assert.equal(await listing(tree), "always");
  present = true;
  assert.equal(await listing(tree), "always\nsometimes");
});
