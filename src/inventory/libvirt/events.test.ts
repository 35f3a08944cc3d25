import assert from "node:assert/strict";
import { test } from "node:test";
import { eventAction, parseEventLine } from "./events.js";

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

test("what each event asks for", () => {
  const rows: Array<[string, string]> = [
    ["event 'lifecycle' for domain 'a': Undefined Removed", "drop"],
    ["event 'lifecycle' for domain 'a': Undefined Renamed", "drop"],
    ["event 'lifecycle' for domain 'a': Stopped Destroyed", "deactivate"],
    ["event 'lifecycle' for domain 'a': Defined Added", "reread"],
    ["event 'lifecycle' for domain 'a': Defined Renamed", "reread"],
    ["event 'lifecycle' for domain 'a': Started Booted", "reread"],
    ["event 'lifecycle' for domain 'a': Suspended Paused", "ignore"],
    ["event 'lifecycle' for domain 'a': Shutdown Finished after host request", "ignore"],
    ["event 'device-added' for domain 'a': net1", "reread"],
    ["event 'device-removed' for domain 'a': net0", "reread"],
    ["event 'metadata-change' for domain 'a': type element nsuri https://x", "reread"],
    ["event 'balloon-change' for domain 'a': 1024KiB", "ignore"],
    ["event 'lifecycle' for network 'mds': Undefined", "drop"],
    ["event 'lifecycle' for network 'mds': Started", "reread"],
  ];
  for (const [line, action] of rows) {
    const event = parseEventLine(line);
    assert.ok(event, line);
    assert.equal(eventAction(event), action, line);
  }
});
