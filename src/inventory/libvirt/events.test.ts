import assert from "node:assert/strict";
import { test } from "node:test";
import { eventMatters, parseEventLine } from "./events.js";

test("event lines as virsh 9.0 prints them", () => {
  assert.deepEqual(parseEventLine("event 'lifecycle' for domain 'g1': Stopped Destroyed"), {
    object: "domain",
    type: "lifecycle",
    name: "g1",
    detail: "Stopped Destroyed",
  });
  assert.deepEqual(parseEventLine("event 'lifecycle' for network 'mds': Started"), {
    object: "network",
    type: "lifecycle",
    name: "mds",
    detail: "Started",
  });
  assert.equal(parseEventLine("event 'reboot' for domain 'it's': ")?.name, "it's");
  assert.equal(parseEventLine("event 'reboot' for domain 'x'")?.detail, "");
  for (const other of ["", "virsh > event --loop --all", "events received: 3"])
    assert.equal(parseEventLine(other), undefined, other);
});

test("which events make the source read their domain or network again", () => {
  const rows: Array<[string, boolean]> = [
    ["event 'lifecycle' for domain 'a': Undefined Removed", true],
    ["event 'lifecycle' for domain 'a': Undefined Renamed", true],
    ["event 'lifecycle' for domain 'a': Stopped Destroyed", true],
    ["event 'lifecycle' for domain 'a': Defined Added", true],
    ["event 'lifecycle' for domain 'a': Defined Renamed", true],
    ["event 'lifecycle' for domain 'a': Started Booted", true],
    ["event 'lifecycle' for domain 'a': Suspended Paused", false],
    ["event 'lifecycle' for domain 'a': Shutdown Finished after host request", false],
    ["event 'device-added' for domain 'a': net1", true],
    ["event 'device-removed' for domain 'a': net0", true],
    ["event 'metadata-change' for domain 'a': type element nsuri https://x", true],
    ["event 'balloon-change' for domain 'a': 1024KiB", false],
    ["event 'lifecycle' for network 'mds': Undefined", true],
    ["event 'lifecycle' for network 'mds': Started", true],
  ];
  for (const [line, matters] of rows) {
    const event = parseEventLine(line);
    assert.ok(event, line);
    assert.equal(eventMatters(event), matters, line);
  }
});
