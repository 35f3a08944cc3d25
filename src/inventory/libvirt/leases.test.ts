import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDnsmasqLeases, parseLeaseStatus, parseVirshLeases } from "./leases.js";
import { virshEnv } from "./spawn-virsh.js";

test("virsh's lease table: UTC expiry times, prefix lengths, IPv6 rows without MAC skipped", () => {
  const table = ` Expiry Time           MAC address         Protocol   IP address          Hostname   Client ID or DUID
------------------------------------------------------------------------------------------------------------
 2026-11-25 17:17:55   52:54:00:EE:00:11   ipv4       10.213.0.11/24      g1         01:52:54:00:ee:00:11
 2026-11-25 17:20:00   -                   ipv6       fd00::5/64          -          00:01:00:01
 1970-01-01 00:00:00   52:54:00:ee:00:12   ipv4       10.213.0.12/24      -          -
`;
  assert.deepEqual(parseVirshLeases(table), [
    {
      mac: "52:54:00:ee:00:11",
      address: "10.213.0.11",
      expiresAt: Date.UTC(2026, 10, 25, 17, 17, 55),
    },
    // libvirt's expiry 0 (a lease without end) printed as the epoch.
    { mac: "52:54:00:ee:00:12", address: "10.213.0.12", expiresAt: undefined },
  ]);
  assert.deepEqual(parseVirshLeases(""), []);
});

test("lease ends across a DST change are exact: virsh prints UTC, read as UTC in any zone", () => {
  const saved = process.env.TZ;
  // In Berlin, 2026-10-25 02:00-03:00 local happens twice (clocks go back at 01:00 UTC).
  process.env.TZ = "Europe/Berlin";
  try {
    assert.equal(virshEnv().TZ, "UTC");
    const table = ["00:30:00", "01:30:00", "02:30:00"]
      .map((t, i) => ` 2026-10-25 ${t}   52:54:00:ee:00:1${i}   ipv4   10.213.0.1${i}/24   -   -`)
      .join("\n");
    const ends = parseVirshLeases(table).map((lease) => lease.expiresAt);
    assert.deepEqual(ends, [
      Date.UTC(2026, 9, 25, 0, 30),
      Date.UTC(2026, 9, 25, 1, 30),
      Date.UTC(2026, 9, 25, 2, 30),
    ]);
    // Each an hour after the last, as they are: local time would make two of them one instant.
    assert.equal(new Set(ends).size, 3);
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test("dnsmasq's lease file: seconds, 0 for never, IPv6 and duid lines skipped", () => {
  const text = `1795627075 52:54:00:ee:00:11 10.213.0.11 g1 01:52:54:00:ee:00:11
0 52:54:00:ee:00:12 10.213.0.12 * *
duid 00:01:00:01:2c:3d:4e:5f:52:54:00:00:00:01
1795627075 1234567 fd00::11 g1 00:01:00:01
garbage
`;
  assert.deepEqual(parseDnsmasqLeases(text), [
    { mac: "52:54:00:ee:00:11", address: "10.213.0.11", expiresAt: 1795627075000 },
    { mac: "52:54:00:ee:00:12", address: "10.213.0.12", expiresAt: undefined },
  ]);
});

test("libvirt's status file: JSON objects; empty file is no leases; not JSON throws", () => {
  const text = JSON.stringify([
    {
      "ip-address": "10.213.0.11",
      "mac-address": "52:54:00:ee:00:11",
      hostname: "g1",
      "client-id": "01:52:54:00:ee:00:11",
      "expiry-time": 1795627075,
    },
    { "ip-address": "fd00::11", iaid: "1234", "expiry-time": 1795627075 },
    "nonsense",
  ]);
  assert.deepEqual(parseLeaseStatus(text), [
    { mac: "52:54:00:ee:00:11", address: "10.213.0.11", expiresAt: 1795627075000 },
  ]);
  assert.deepEqual(parseLeaseStatus(""), []);
  assert.throws(() => parseLeaseStatus("[{"), SyntaxError);
  assert.throws(() => parseLeaseStatus("{}"), SyntaxError);
});
