import assert from "node:assert/strict";
import { test } from "node:test";
import type { Lease } from "./leases.js";
import { sameNetworks, type NetworkState } from "./network-state.js";

const M1 = "52:54:00:00:00:01";

function networks(leases: Lease[], bridge = "br0"): Map<string, NetworkState> {
  return new Map([
    [
      "mds",
      { info: { name: "mds", bridge, reservations: [{ mac: M1, address: "10.0.0.1" }] }, leases },
    ],
  ]);
}

test("two reads that say the same are the same, whatever objects they are made of", () => {
  const lease = { mac: M1, address: "10.0.0.9", expiresAt: 5000 };
  assert.equal(sameNetworks(networks([lease]), networks([{ ...lease }])), true);
  assert.equal(sameNetworks(new Map(), new Map()), true);
});

test("a lease renewed, moved, added or gone, a bridge or a network changed: not the same", () => {
  const lease = { mac: M1, address: "10.0.0.9", expiresAt: 5000 };
  const before = networks([lease]);
  for (const after of [
    networks([{ ...lease, expiresAt: 6000 }]),
    networks([{ ...lease, address: "10.0.0.8" }]),
    networks([lease, { ...lease, address: "10.0.0.8" }]),
    networks([]),
    networks([lease], "br1"),
    new Map(),
  ])
    assert.equal(sameNetworks(before, after), false);
});
