import assert from "node:assert/strict";
import { test } from "node:test";
import { planDnsHosts } from "./dns-host-plan.js";
import { dnsHostXml, parseDnsHosts, type HostEntry } from "./dns-host-xml.js";

const e = (ip: string, ...names: string[]): HostEntry => ({ ip, names });

test("first run: everything wanted is added; what is there already is left alone", () => {
  const plan = planDnsHosts([], [e("10.0.0.1", "a"), e("10.0.0.2", "b")], [e("10.0.0.2", "b")]);
  assert.deepEqual(plan.add, [e("10.0.0.1", "a")]);
  assert.deepEqual([plan.remove, plan.keep, plan.clashes], [[], [], []]);
});

test("a restart: tracked entries still wanted are kept, not added again; gone ones removed", () => {
  const tracked = [e("10.0.0.1", "a"), e("10.0.0.2", "b"), e("10.0.0.3", "c")];
  const current = [e("10.0.0.1", "a"), e("10.0.0.2", "b"), e("10.0.0.9", "admins")];
  const plan = planDnsHosts(tracked, [e("10.0.0.1", "a"), e("10.0.0.3", "c")], current);
  assert.deepEqual(plan.keep, [e("10.0.0.1", "a")]);
  assert.deepEqual(plan.remove, [e("10.0.0.2", "b")]);
  // c was lost by the network (recreated): it is added again.
  assert.deepEqual(plan.add, [e("10.0.0.3", "c")]);
});

test("a guest that moves: its old entry is removed before the new one is added", () => {
  const plan = planDnsHosts([e("10.0.0.1", "a")], [e("10.0.0.5", "a")], [e("10.0.0.1", "a")]);
  assert.deepEqual(plan.remove, [e("10.0.0.1", "a")]);
  assert.deepEqual(plan.add, [e("10.0.0.5", "a")]);
});

test("entries of others are never removed; a clash with one is reported, not added", () => {
  const current = [e("10.0.0.1", "theirs"), e("10.0.0.7", "web")];
  const plan = planDnsHosts(
    [],
    [e("10.0.0.1", "a"), e("10.0.0.2", "web"), e("10.0.0.3", "c", "c2"), e("10.0.0.4", "c2")],
    current,
  );
  assert.deepEqual(plan.remove, []);
  assert.deepEqual(plan.add, [e("10.0.0.3", "c", "c2")]);
  assert.deepEqual(
    plan.clashes.map((c) => [c.entry.ip, c.with.ip]),
    [
      ["10.0.0.1", "10.0.0.1"],
      ["10.0.0.2", "10.0.0.7"],
      ["10.0.0.4", "10.0.0.3"],
    ],
  );
});

test("dns-host XML, both ways", () => {
  assert.equal(
    dnsHostXml(e("10.0.0.1", "a", "a.lab")),
    "<host ip='10.0.0.1'><hostname>a</hostname><hostname>a.lab</hostname></host>",
  );
  const xml = `<network><name>mds</name><dns>
    <host ip='10.0.0.1'><hostname>a</hostname><hostname>a.lab</hostname></host>
    <host ip='FD00:0:0::5'><hostname>v6</hostname></host>
  </dns><ip address='10.0.0.254'/></network>`;
  assert.deepEqual(parseDnsHosts(xml), [e("10.0.0.1", "a", "a.lab"), e("fd00::5", "v6")]);
  assert.deepEqual(parseDnsHosts("<network><name>n</name></network>"), []);
  assert.throws(() => parseDnsHosts("error"), /no <network> element/);
});
