import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalAddress } from "./address.js";

test("one spelling per address", () => {
  assert.equal(canonicalAddress("127.0.0.1"), "127.0.0.1");
  assert.equal(canonicalAddress("::ffff:10.0.0.5"), "10.0.0.5");
  assert.equal(canonicalAddress("::FFFF:10.0.0.5"), "10.0.0.5");
  assert.equal(canonicalAddress("FD00:EC2:0:0:0:0:0:254"), "fd00:ec2::254");
  assert.equal(canonicalAddress("0:0:0:0:0:0:0:1"), "::1");
  assert.equal(canonicalAddress("fe80::1%eth0"), "fe80::1");
  assert.equal(canonicalAddress("not an address"), undefined);
});
