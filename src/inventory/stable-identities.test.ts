import assert from "node:assert/strict";
import { test } from "node:test";
import type { Identity, Instance } from "./instance.js";
import { keepUnchanged, sameIdentities } from "./stable-identities.js";

const M1 = "52:54:00:00:00:01";
const M2 = "52:54:00:00:00:02";

/** A guest as a fresh build of the view gives it: new objects every time. */
function guest(name: string, changes: Partial<Instance> = {}, expiresAt?: number): Identity[] {
  const instance: Instance = {
    name,
    uuid: `00000000-0000-4000-8000-${name.padStart(12, "0")}`,
    interfaces: [{ mac: M1, network: "mds", addresses: [`10.0.0.${name.length}`] }],
    source: "libvirt test",
    architecture: "x86_64",
    metadataXml: "<metadata/>",
    ...changes,
  };
  return instance.interfaces.flatMap((iface) =>
    iface.addresses.map((address) => ({ instance, address, mac: iface.mac, expiresAt })),
  );
}

test("guests about which nothing changed keep their Identity and Instance objects", () => {
  const before = keepUnchanged([], [...guest("a", {}, 5000), ...guest("bb")]);
  const after = keepUnchanged(before, [...guest("bb"), ...guest("a", {}, 5000)]);
  assert.equal(after[0], before[1]);
  assert.equal(after[1], before[0]);
  assert.ok(sameIdentities(before, after));
});

test("whatever changes about a guest gives it a new Identity, and a new Instance if it changed", () => {
  const twoAddresses = [{ mac: M1, network: "mds", addresses: ["10.0.0.1", "10.0.0.9"] }];
  const rows: Array<[string, Identity[], { instance: boolean }]> = [
    ["name", guest("a", { name: "renamed" }), { instance: true }],
    ["uuid", guest("a", { uuid: "00000000-0000-4000-8000-0000000000ff" }), { instance: true }],
    ["architecture", guest("a", { architecture: "aarch64" }), { instance: true }],
    ["metadata", guest("a", { metadataXml: "<metadata><x/></metadata>" }), { instance: true }],
    ["another address", guest("a", { interfaces: twoAddresses }), { instance: true }],
    [
      "another interface",
      guest("a", {
        interfaces: [
          { mac: M1, network: "mds", addresses: ["10.0.0.1"] },
          { mac: M2, network: "mds", addresses: [] },
        ],
      }),
      { instance: true },
    ],
    [
      "its network",
      guest("a", { interfaces: [{ mac: M1, network: "other", addresses: ["10.0.0.1"] }] }),
      { instance: true },
    ],
    ["the lease's end", guest("a", {}, 6000), { instance: false }],
    [
      "the MAC holding the address",
      guest("a").map((identity) => ({ ...identity, mac: M2 })),
      { instance: false },
    ],
  ];
  for (const [what, changed, expect] of rows) {
    const before = keepUnchanged([], [...guest("a", {}, 5000), ...guest("bb")]);
    const after = keepUnchanged(before, [...changed, ...guest("bb")]);
    const old = before.find((i) => i.address === "10.0.0.1")!;
    const now = after.find((i) => i.address === "10.0.0.1")!;
    assert.notEqual(now, old, what);
    assert.equal(now.instance !== old.instance, expect.instance, `${what}: instance`);
    assert.deepEqual(
      now,
      changed.find((i) => i.address === "10.0.0.1"),
      `${what}: content`,
    );
    // The other guest is untouched.
    assert.equal(
      after.find((i) => i.address === "10.0.0.2"),
      before[1],
      what,
    );
    assert.equal(sameIdentities(before, after), false, what);
  }
});

test("an address that passed to another guest is that guest's, in a new Identity", () => {
  const before = keepUnchanged([], guest("a"));
  const after = keepUnchanged(before, guest("b"));
  assert.notEqual(after[0], before[0]);
  assert.equal(after[0]?.instance.name, "b");
});
