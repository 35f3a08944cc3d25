import assert from "node:assert/strict";
import { test } from "node:test";
import { isLocalUri, isTestDriver } from "./connection-uri.js";

test("a URI without a host is this machine's libvirt", () => {
  const rows: Array<[string, boolean]> = [
    ["qemu:///system", true],
    ["qemu+unix:///system?socket=/run/x", true],
    ["test:///tmp/node.xml", true],
    ["qemu+ssh://root@host2/system", false],
    ["qemu+tcp://10.0.0.2:16509/system", false],
    ["not a uri", false],
  ];
  for (const [uri, local] of rows) assert.equal(isLocalUri(uri), local, uri);
});

test("the test driver is recognised by its scheme", () => {
  assert.equal(isTestDriver("test:///default"), true);
  assert.equal(isTestDriver("test+ssh://host/default"), true);
  assert.equal(isTestDriver("qemu:///system"), false);
});
