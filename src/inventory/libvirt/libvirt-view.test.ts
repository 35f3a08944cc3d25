import assert from "node:assert/strict";
import { test } from "node:test";
import type { Lease } from "./leases.js";
import { buildView, type NetworkState } from "./libvirt-view.js";
import type { DomainInfo } from "./libvirt-xml.js";

const NOW = 1_000_000;

function domain(name: string, mac: string, active = true, network = "mds"): DomainInfo {
  return {
    name,
    uuid: `00000000-0000-4000-8000-${name.padStart(12, "0")}`,
    active,
    interfaces: [{ mac, network }],
  };
}

function networks(reservations: Lease[], leases: Lease[], name = "mds"): Map<string, NetworkState> {
  return new Map([[name, { info: { name, bridge: "br0", reservations }, leases, fileLeases: [] }]]);
}

function served(view: ReturnType<typeof buildView>): Record<string, string> {
  return Object.fromEntries(view.identities.map((i) => [i.address, i.instance.name]));
}

const M1 = "52:54:00:00:00:01";
const M2 = "52:54:00:00:00:02";

test("reservations and current leases map addresses to the domain with that MAC", () => {
  const view = buildView({
    source: "libvirt test",
    networks: networks(
      [{ mac: M1, address: "10.0.0.1" }],
      [
        { mac: M2, address: "10.0.0.2", expiresAt: NOW + 5000 },
        { mac: M2, address: "10.0.0.3", expiresAt: NOW - 1 },
        { mac: M2, address: "10.0.0.4", expiresAt: undefined },
      ],
    ),
    domains: [domain("one", M1), domain("two", M2)],
    now: NOW,
  });
  // An ended lease is not served; one without end (dnsmasq's 0) is, like a reservation.
  assert.deepEqual(served(view), { "10.0.0.1": "one", "10.0.0.2": "two", "10.0.0.4": "two" });
  const two = view.identities.find((i) => i.address === "10.0.0.2");
  assert.equal(two?.expiresAt, NOW + 5000);
  assert.equal(two?.mac, M2);
  assert.deepEqual(two?.instance.interfaces, [
    { mac: M2, network: "mds", addresses: ["10.0.0.2", "10.0.0.4"] },
  ]);
  assert.equal(view.identities.find((i) => i.address === "10.0.0.1")?.expiresAt, undefined);
  assert.deepEqual(view.conflicts, []);
});

test("a stopped domain is served neither its reservation nor its lease; running, both", () => {
  const input = (active: boolean) => ({
    source: "s",
    networks: networks(
      [{ mac: M1, address: "10.0.0.1" }],
      [{ mac: M1, address: "10.0.0.9", expiresAt: NOW + 5000 }],
    ),
    domains: [domain("one", M1, active)],
    now: NOW,
  });
  assert.deepEqual(served(buildView(input(false))), {});
  assert.deepEqual(served(buildView(input(true))), { "10.0.0.1": "one", "10.0.0.9": "one" });
});

test("an address two domains could hold is served to neither, and reported", () => {
  const view = buildView({
    source: "s",
    networks: networks(
      [{ mac: M1, address: "10.0.0.1" }],
      [{ mac: M2, address: "10.0.0.1", expiresAt: NOW + 5000 }],
    ),
    domains: [domain("one", M1), domain("two", M2)],
    now: NOW,
  });
  assert.deepEqual(served(view), {});
  assert.deepEqual(view.conflicts, [{ address: "10.0.0.1", claimants: ["one", "two"] }]);
});

test("a MAC shared by two domains belongs to the running one; two running ones conflict", () => {
  const reservation = [{ mac: M1, address: "10.0.0.1" }];
  const oneRunning = buildView({
    source: "s",
    networks: networks(reservation, []),
    domains: [domain("old", M1, false), domain("new", M1, true)],
    now: NOW,
  });
  assert.deepEqual(served(oneRunning), { "10.0.0.1": "new" });
  const bothRunning = buildView({
    source: "s",
    networks: networks(reservation, []),
    domains: [domain("x", M1), domain("y", M1)],
    now: NOW,
  });
  assert.deepEqual(served(bothRunning), {});
  assert.deepEqual(bothRunning.conflicts, [{ address: "10.0.0.1", claimants: ["x", "y"] }]);
});

test("only interfaces on the configured networks count; a lease and a reservation of one MAC merge", () => {
  const view = buildView({
    source: "s",
    networks: networks(
      [{ mac: M1, address: "10.0.0.1" }],
      [
        { mac: M1, address: "10.0.0.1", expiresAt: NOW + 10 },
        { mac: M2, address: "10.0.0.2", expiresAt: NOW + 10 },
      ],
    ),
    domains: [domain("one", M1), domain("elsewhere", M2, true, "other")],
    now: NOW,
  });
  assert.deepEqual(served(view), { "10.0.0.1": "one" });
  assert.equal(view.identities[0]?.expiresAt, undefined, "the reservation outlives the lease");
});

test("during the first load (ports given): an address is decided only once every owner of its MAC is read", () => {
  const one = domain("one", M1);
  const view = (domains: DomainInfo[], ports: Map<string, string[]>) =>
    buildView({
      source: "s",
      networks: networks(
        [
          { mac: M1, address: "10.0.0.1" },
          { mac: M2, address: "10.0.0.2" },
        ],
        [],
      ),
      domains,
      now: NOW,
      ports,
    });
  const two = domain("two", M2);
  const portsOf = (...list: DomainInfo[]) =>
    new Map(list.map((d) => [`mds ${d.interfaces[0]!.mac}`, [d.uuid]]));
  // two is plugged in but not read: its address waits; one's is served.
  assert.deepEqual(served(view([one], portsOf(one, two))), { "10.0.0.1": "one" });
  // A MAC no port holds belongs to no running domain: nothing to wait for.
  assert.deepEqual(served(view([one, two], portsOf(one))), { "10.0.0.1": "one" });
  // Two ports with one MAC: the address is contested once both are read, undecided before.
  const twin = { ...domain("twin", M1), uuid: "00000000-0000-4000-8000-00000000twin" };
  const shared = new Map([[`mds ${M1}`, [one.uuid, twin.uuid]]]);
  assert.deepEqual(view([one], shared).conflicts, []);
  assert.deepEqual(served(view([one], shared)), {});
  assert.deepEqual(view([one, twin], shared).conflicts, [
    { address: "10.0.0.1", claimants: ["one", "twin"] },
  ]);
});
