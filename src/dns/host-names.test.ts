import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "../config/parse-config.js";
import { dnsRecords } from "./dns-records.js";
import { hostsLine } from "./hosts-file.js";
import { isHostName, namesFor, toHostName } from "./host-names.js";

test("valid host names pass; the rest are mapped by the one rule, or give nothing", () => {
  const rows: Array<[string, string | undefined]> = [
    ["vm145", "vm145"],
    ["db.lab", "db.lab"],
    ["Web1", "web1"],
    ["web_1", "web-1"],
    ["my vm (copy)", "my-vm-copy"],
    ["-lead-and-trail-", "lead-and-trail"],
    ["a..b.", "a.b"],
    ["ünïcode", "n-code"],
    ["x".repeat(70), "x".repeat(63)],
    [`${"y".repeat(62)}-z`, "y".repeat(62)],
    ["___", undefined],
    ["日本", undefined],
    ["123", undefined],
    ["10.0.0.1", undefined],
    ["host.123", undefined],
    ["123.host", "123.host"],
    [`${"a".repeat(60)}.`.repeat(5), undefined],
  ];
  for (const [name, expected] of rows) assert.equal(toHostName(name), expected, name);
  for (const name of ["a", "a-b", "a1.b2", "xn--bcher-kva.example"])
    assert.ok(isHostName(name), name);
  for (const name of ["", "-a", "a-", "A", "a_b", "a..b", "1.2.3.4", "a".repeat(64)]) {
    assert.ok(!isHostName(name), name);
  }
});

/** The hosts line the config text gives for a guest named vm145 at 10.0.0.145. */
function lineFor(dnsmasq: string): string | undefined {
  const { config } = parseConfig(
    "/etc/mdserver/mdserver.conf",
    `[dnsmasq]\nmanage_addnhosts = yes\n${dnsmasq}`,
  );
  const instance = {
    name: "vm145",
    uuid: "0",
    source: "static",
    interfaces: [{ addresses: ["10.0.0.145"] }],
  };
  const record = dnsRecords([instance], config.dnsmasq).records[0];
  return record && hostsLine(record);
}

test("the original's sample configurations give the original's lines", () => {
  // Each row: the [dnsmasq] keys, and the line the original's _update_dnsmasq wrote for them.
  const rows: Array<[string, string | undefined]> = [
    // Its README's example: prefix test-, domain example.com.
    ["prefix = test-\ndomain = example.com\n", "10.0.0.145 vm145"],
    [
      "prefix = test-\ndomain = example.com\nentry_order = prefix,fqdn,base\n",
      "10.0.0.145 test-vm145 test-vm145.example.com vm145",
    ],
    [
      "prefix = test-\ndomain = example.com\nentry_order = base, prefix, domain\n",
      "10.0.0.145 vm145 test-vm145 test-vm145.example.com",
    ],
    [
      "prefix = test-\ndomain = example.com\nentry_order = fqdn\n",
      "10.0.0.145 test-vm145.example.com",
    ],
    ["domain = example.com\nentry_order = base,domain\n", "10.0.0.145 vm145 vm145.example.com"],
    [
      "prefix = no\ndomain = example.com\nentry_order = prefix,fqdn\n",
      "10.0.0.145 vm145.example.com",
    ],
    [
      "prefix = test-\nentry_order = prefix,base\ndomain = example.com\n",
      "10.0.0.145 test-vm145 vm145",
    ],
    // With no prefix and no name, the original wrote no line (it removed the address's line).
    ["prefix = no\ndomain = example.com\nentry_order = prefix\n", undefined],
    // Its early default domain ".example.com" meant example.com.
    [
      "prefix = test-\ndomain = .example.com\nentry_order = fqdn\n",
      "10.0.0.145 test-vm145.example.com",
    ],
  ];
  for (const [keys, expected] of rows) assert.equal(lineFor(keys), expected, keys);
});

test("domain unset, where the original crashed: the domain names are left out", () => {
  // The original's own sample ([dnsmasq] of test/fixtures/original/mdserver.conf).
  assert.equal(lineFor("prefix=no\ndomain=no\nentry_order=prefix,fqdn,base\n"), "10.0.0.145 vm145");
  assert.equal(lineFor(""), "10.0.0.145 vm145");
  assert.equal(
    lineFor("prefix = test-\nentry_order = prefix,fqdn,base\n"),
    "10.0.0.145 test-vm145 vm145",
  );
});

test("names are lower case, repeated ones appear once, too long ones are left out", () => {
  const naming = {
    prefix: "Test-",
    domain: "Example.COM",
    entry_order: ["base", "base", "domain"] as const,
  };
  assert.deepEqual(namesFor("vm1", naming), ["vm1", "test-vm1.example.com"]);
  const long = "v".repeat(60);
  assert.deepEqual(namesFor(long, { ...naming, entry_order: ["prefix", "base"] }), [long]);
});
