import assert from "node:assert/strict";
import { test } from "node:test";
import type { Identity } from "../../inventory/instance.js";
import { SessionTokens } from "./session-tokens.js";

const instance = {
  name: "a",
  uuid: "11111111-2222-4333-8444-555555555555",
  interfaces: [],
  source: "t",
};
const alpha: Identity = { instance, address: "10.0.0.1" };
const sameGuestNewAddress: Identity = { instance, address: "10.0.0.2" };
const otherGuestSameAddress: Identity = {
  instance: { ...instance, uuid: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" },
  address: "10.0.0.1",
};

test("a token is good until its TTL has passed, to the millisecond", () => {
  let now = 1_700_000_000_123;
  const tokens = new SessionTokens(() => now);
  const token = tokens.issue(alpha, 10);
  now += 9_999;
  assert.equal(tokens.verify(alpha, token), true);
  now += 1;
  assert.equal(tokens.verify(alpha, token), false);
});

test("a token is bound to the address and the instance it was issued to", () => {
  const tokens = new SessionTokens();
  const token = tokens.issue(alpha, 60);
  assert.equal(tokens.verify(alpha, token), true);
  assert.equal(tokens.verify(sameGuestNewAddress, token), false);
  assert.equal(tokens.verify(otherGuestSameAddress, token), false);
});

test("another process (another key) does not accept the token; malformed tokens are refused", () => {
  const token = new SessionTokens().issue(alpha, 60);
  const other = new SessionTokens();
  assert.equal(other.verify(alpha, token), false);
  for (const bad of [
    "",
    ".",
    "abc",
    `${token}x`,
    `x${token}`,
    token.replace(".", ""),
    "zzzzzzzzzzzzz.AAAA",
  ]) {
    assert.equal(other.verify(alpha, bad), false, bad);
  }
});

test("a token found good is good only for that identity, and only until it expires", () => {
  let now = 1_700_000_000_000;
  const tokens = new SessionTokens(() => now);
  const token = tokens.issue(alpha, 10);
  assert.equal(tokens.verify(alpha, token), true);
  assert.equal(tokens.verify(alpha, token), true, "remembered");
  assert.equal(tokens.verify(otherGuestSameAddress, token), false);
  // The same guest published anew (a new Identity object): checked again, still good.
  assert.equal(tokens.verify({ ...alpha }, token), true);
  now += 10_000;
  assert.equal(tokens.verify(alpha, token), false);
});
