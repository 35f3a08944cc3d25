import assert from "node:assert/strict";
import { test } from "node:test";
import type { Instance } from "../inventory/instance.js";
import { sortByAddress } from "./address-order.js";
import { dnsRecords } from "./dns-records.js";

const naming = { prefix: null, domain: "lab", entry_order: ["base", "domain"] as const };

function instance(name: string, uuid: string, ...addresses: string[]): Instance {
  return { name, uuid, source: "static", interfaces: [{ network: "mds", addresses }] };
}

test("one record per address, sorted by address (IPv4 numerically, then IPv6)", () => {
  const { records, notes } = dnsRecords(
    [instance("b", "2", "10.0.0.10", "fd00::2"), instance("a", "1", "10.0.0.9", "10.0.1.1")],
    naming,
  );
  assert.deepEqual(
    records.map((r) => [r.address, r.names.join(" ")]),
    [
      ["10.0.0.9", "a a.lab"],
      ["10.0.0.10", "b b.lab"],
      ["10.0.1.1", "a a.lab"],
      ["fd00::2", "b b.lab"],
    ],
  );
  assert.equal(records[0]?.network, "mds");
  assert.deepEqual(notes, []);
});

test("an address two instances claim gets no record; a name two would share, neither has", () => {
  const { records, notes } = dnsRecords(
    [
      instance("web", "1", "10.0.0.1"),
      instance("Web", "2", "10.0.0.2"),
      instance("db", "3", "10.0.0.3"),
      instance("cache", "4", "10.0.0.3", "10.0.0.4"),
    ],
    naming,
  );
  assert.deepEqual(
    records.map((r) => [r.address, r.names.join(" ")]),
    [["10.0.0.4", "cache cache.lab"]],
  );
  assert.deepEqual(
    notes.map((n) => n.key),
    ["shared web", "shared web.lab"],
  );
});

test("only the addresses the inventory serves to an instance are published", () => {
  const a = instance("a", "1", "10.0.0.1", "10.0.0.2");
  const served = (address: string) => address !== "10.0.0.1";
  const { records } = dnsRecords([a], naming, served);
  assert.deepEqual(
    records.map((r) => r.address),
    ["10.0.0.2"],
  );
});

test("an instance whose name maps to no host name is left out, with a note", () => {
  const { records, notes } = dnsRecords([instance("___", "1", "10.0.0.1")], naming);
  assert.deepEqual(records, []);
  assert.match(notes[0]?.message ?? "", /"___": its name gives no valid host name/);
});

test("address order", () => {
  const sorted = sortByAddress(
    ["fd00::10", "10.0.0.2", "::1", "9.255.255.255", "fd00::9", "10.0.0.10"],
    (a) => a,
  );
  assert.deepEqual(sorted, [
    "9.255.255.255",
    "10.0.0.2",
    "10.0.0.10",
    "::1",
    "fd00::9",
    "fd00::10",
  ]);
});
