import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainTable } from "./domain-table.js";
import type { DomainInfo } from "./domain-xml.js";

function domain(name: string, uuid: string, active = true): DomainInfo {
  return { name, uuid, active, interfaces: [] };
}
const A = domain("a", "00000000-0000-4000-8000-00000000000a");
const B = domain("b", "00000000-0000-4000-8000-00000000000b");

const names = (table: DomainTable) => [...table.values()].map((d) => d.name).sort();

test("a read answered before an Undefined event does not bring the domain back", () => {
  const table = new DomainTable();
  table.replaceAll([A, B], table.begin());
  const read = table.begin();
  table.touch("a");
  table.drop("a");
  assert.equal(table.applyRead("a", A, read), false);
  table.end(read);
  assert.deepEqual(names(table), ["b"]);
  // The re-read the event asked for, begun after it, counts.
  const again = table.begin();
  assert.equal(table.applyRead("a", A, again), true);
  table.end(again);
  assert.deepEqual(names(table), ["a", "b"]);
});

test("a full listing keeps what events said since it began", () => {
  const table = new DomainTable();
  table.replaceAll([A], table.begin());
  const listing = table.begin();
  table.touch("a");
  table.drop("a");
  table.touch("b");
  table.applyRead("b", B, table.begin());
  // The listing was taken before both events: it still has a and lacks b.
  table.replaceAll([A], listing);
  table.end(listing);
  assert.deepEqual(names(table), ["b"]);
});

test("a stopped domain is marked inactive at once; a rename replaces the old name", () => {
  const table = new DomainTable();
  table.replaceAll([A], table.begin());
  assert.equal(table.deactivate("a"), true);
  assert.equal(table.get("a")?.active, false);
  assert.equal(table.deactivate("a"), false);
  const renamed = { ...A, name: "a2" };
  const read = table.begin();
  table.applyRead("a2", renamed, read);
  table.end(read);
  assert.deepEqual(names(table), ["a2"]);
  assert.equal(table.byUuid(A.uuid)?.name, "a2");
});

test("a read for a domain libvirt no longer has removes it", () => {
  const table = new DomainTable();
  table.replaceAll([A, B], table.begin());
  const read = table.begin();
  assert.equal(table.applyRead("a", undefined, read), true);
  table.end(read);
  assert.deepEqual(names(table), ["b"]);
  assert.equal(table.byUuid(A.uuid), undefined);
});
