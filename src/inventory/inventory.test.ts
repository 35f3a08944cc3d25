import assert from "node:assert/strict";
import { test } from "node:test";
import type { Identity, Instance } from "./instance.js";
import { Inventory } from "./inventory.js";
import type { InstanceSource } from "./source.js";

function instance(name: string, uuid = `${name}-uuid`): Instance {
  return { name, uuid, interfaces: [], source: "test" };
}

function identity(name: string, address: string, expiresAt?: number, uuid?: string): Identity {
  return { instance: instance(name, uuid), address, expiresAt };
}

test("lookup is by address; a source's publish replaces its whole view", () => {
  const inventory = new Inventory();
  inventory.publish("s", [identity("a", "10.0.0.1"), identity("b", "10.0.0.2")]);
  assert.equal(inventory.lookup("10.0.0.1")?.instance.name, "a");
  inventory.publish("s", [identity("b", "10.0.0.1")]);
  assert.equal(inventory.lookup("10.0.0.1")?.instance.name, "b");
  assert.equal(inventory.lookup("10.0.0.2"), undefined);
});

test("an expired lease is not served", () => {
  const inventory = new Inventory();
  inventory.publish("s", [
    identity("a", "10.0.0.1", Date.now() - 1),
    identity("b", "10.0.0.2", Date.now() + 60_000),
  ]);
  assert.equal(inventory.lookup("10.0.0.1"), undefined);
  assert.equal(inventory.lookup("10.0.0.2")?.instance.name, "b");
});

test("an address two sources give to different instances is served to neither", () => {
  const warnings: string[] = [];
  const inventory = new Inventory([], 1000, (message) => warnings.push(message));
  inventory.publish("one", [identity("a", "10.0.0.1")]);
  inventory.publish("two", [identity("b", "10.0.0.1")]);
  assert.equal(inventory.lookup("10.0.0.1"), undefined);
  assert.equal(warnings.length, 1);
});

test("an unknown address triggers a shared, rate-limited refresh that starts after it asked", async () => {
  let refreshes = 0;
  const holder: { inventory?: Inventory; known: Identity[] } = { known: [] };
  const source: InstanceSource = {
    id: "s",
    start: async () => {},
    stop: async () => {},
    health: () => ({ ok: true }),
    refresh: async () => {
      refreshes++;
      await new Promise((r) => setTimeout(r, 20));
      holder.inventory?.publish("s", holder.known);
    },
  };
  const inventory = new Inventory([source], 200);
  holder.inventory = inventory;
  holder.known = [identity("late", "10.0.0.9")];
  // The first asks; two more arrive while its refresh runs and share the next one.
  const answers = await Promise.all([
    inventory.resolve("10.0.0.9"),
    inventory.resolve("10.0.0.9"),
    inventory.resolve("10.0.0.8"),
  ]);
  assert.deepEqual(
    answers.map((a) => a?.instance.name),
    ["late", "late", undefined],
  );
  assert.equal(refreshes, 2);
  // A miss right after waits for the next refresh, no sooner than the interval.
  holder.known = [identity("late", "10.0.0.9"), identity("later", "10.0.0.7")];
  const started = Date.now();
  assert.equal((await inventory.resolve("10.0.0.7"))?.instance.name, "later");
  assert.equal(refreshes, 3);
  assert.ok(Date.now() - started >= 150);
  // A known address never waits.
  assert.equal((await inventory.resolve("10.0.0.9"))?.instance.name, "late");
  assert.equal(refreshes, 3);
});

test("two different instances with one name (two hosts) claiming an address get neither", () => {
  const warnings: string[] = [];
  const inventory = new Inventory([], 1000, (message) => warnings.push(message));
  inventory.publish("host1", [identity("web", "10.0.0.5", undefined, "uuid-1")]);
  inventory.publish("host2", [identity("web", "10.0.0.5", undefined, "uuid-2")]);
  assert.equal(inventory.lookup("10.0.0.5"), undefined);
  assert.equal(warnings.length, 1);
});

test("one source giving an address to two instances serves neither; the conflict is reported again if it returns", () => {
  const warnings: string[] = [];
  const inventory = new Inventory([], 1000, (message) => warnings.push(message));
  const clash = [identity("a", "10.0.0.1"), identity("b", "10.0.0.1"), identity("c", "10.0.0.3")];
  inventory.publish("s", clash);
  assert.equal(inventory.lookup("10.0.0.1"), undefined);
  assert.equal(inventory.lookup("10.0.0.3")?.instance.name, "c");
  inventory.publish("s", clash);
  assert.equal(warnings.length, 1, "reported once while it lasts");
  inventory.publish("s", [identity("a", "10.0.0.1")]);
  assert.equal(inventory.lookup("10.0.0.1")?.instance.name, "a");
  inventory.publish("s", clash);
  assert.equal(warnings.length, 2, "reported again when it comes back");
});

test("the same instance from two sources is not a conflict", () => {
  const inventory = new Inventory();
  inventory.publish("one", [identity("a", "10.0.0.1")]);
  inventory.publish("two", [identity("a", "10.0.0.1")]);
  assert.equal(inventory.lookup("10.0.0.1")?.instance.name, "a");
});

test("listeners see every change", () => {
  const inventory = new Inventory();
  const seen: string[][] = [];
  inventory.onChange((instances) => seen.push(instances.map((i) => i.name)));
  inventory.publish("s", [identity("b", "10.0.0.2"), identity("a", "10.0.0.1")]);
  inventory.publish("s", []);
  assert.deepEqual(seen, [["a", "b"], []]);
});

test("a view published again keeps unchanged guests' objects; listeners hear only of real changes", () => {
  const inventory = new Inventory();
  const told: string[][] = [];
  inventory.onChange((instances) => told.push(instances.map((i) => i.name)));
  const guest = (address: string, expiresAt: number) => ({
    instance: { name: "a", uuid: "a-uuid", source: "s", interfaces: [{ addresses: [address] }] },
    address,
    expiresAt,
  });
  inventory.publish("s", [guest("10.0.0.1", Date.now() + 60_000)]);
  const first = inventory.lookup("10.0.0.1");
  inventory.publish("s", [guest("10.0.0.1", Date.now() + 60_000)]);
  inventory.publish("s", [guest("10.0.0.1", Date.now() + 120_000)]);
  const renewed = inventory.lookup("10.0.0.1");
  assert.notEqual(renewed, first, "a new lease end is a new Identity");
  assert.equal(renewed?.instance, first?.instance, "of the same Instance");
  assert.equal(told.length, 1, "a renewal is not a change anyone listening can see");
  inventory.publish("s", [guest("10.0.0.2", Date.now() + 60_000)]);
  assert.equal(told.length, 2, "an address that moved is");
});
