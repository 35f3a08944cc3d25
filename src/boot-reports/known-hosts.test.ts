import assert from "node:assert/strict";
import { test } from "node:test";
import type { BootReport } from "./boot-report.js";
import { knownHostsLines, reportMatches } from "./known-hosts.js";

const report = (name: string, address: string, keys: string[]): BootReport => ({
  uuid: `uuid-${name}`,
  name,
  address,
  instanceId: `i-${name}`,
  hostname: name,
  receivedAt: 0,
  hostKeys: keys.map((key) => ({ type: "ssh-ed25519", key })),
});

const WEB = report("Web_1", "192.168.122.10", ["AAAAweb", "AAAAweb2"]);
const DB = report("db", "fd00::5", ["AAAAdb"]);

test("a guest's keys are listed under its host name, DNS names and address", () => {
  const naming = {
    prefix: "test-",
    domain: "example.com",
    entry_order: ["prefix", "domain", "base"],
  } as const;
  assert.deepEqual(knownHostsLines([WEB, DB], naming), [
    "web-1,test-web-1,test-web-1.example.com,192.168.122.10 ssh-ed25519 AAAAweb",
    "web-1,test-web-1,test-web-1.example.com,192.168.122.10 ssh-ed25519 AAAAweb2",
    "db,test-db,test-db.example.com,fd00::5 ssh-ed25519 AAAAdb",
  ]);
  const plain = { prefix: null, domain: null, entry_order: ["base"] } as const;
  assert.deepEqual(knownHostsLines([DB], plain), ["db,fd00::5 ssh-ed25519 AAAAdb"]);
  // A guest that reported no key gives no line.
  assert.deepEqual(knownHostsLines([report("nokeys", "10.0.0.1", [])], plain), []);
});

test("a guest is found by its libvirt name, a DNS name or its address", () => {
  const naming = { prefix: null, domain: "lab", entry_order: ["base", "domain"] } as const;
  for (const wanted of ["Web_1", "web-1", "WEB-1.lab", "192.168.122.10"]) {
    assert.ok(reportMatches(WEB, naming, wanted), wanted);
  }
  assert.equal(reportMatches(WEB, naming, "db"), false);
  assert.equal(reportMatches(WEB, naming, "web"), false);
});
