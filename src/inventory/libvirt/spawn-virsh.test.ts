import assert from "node:assert/strict";
import { test } from "node:test";
import { virshEnd } from "./spawn-virsh.js";

test("a virsh that ran: its status or signal and its errors, without their prefix", () => {
  assert.deepEqual(
    virshEnd("virsh", 1, null, "error: failed to connect to the hypervisor\nerror: no socket\n"),
    { ran: true, reason: "(1): failed to connect to the hypervisor; no socket" },
  );
  assert.deepEqual(virshEnd("virsh", null, "SIGKILL", ""), { ran: true, reason: "(SIGKILL)" });
});

test("a virsh setpriv could not run is told apart from one that ran", () => {
  assert.deepEqual(
    virshEnd(
      "/opt/virsh",
      127,
      null,
      "setpriv: failed to execute /opt/virsh: No such file or directory\n",
    ),
    { ran: false, reason: "cannot run /opt/virsh: No such file or directory" },
  );
  // A wrapper script's own 127 is an exit like any other.
  assert.equal(virshEnd("/opt/virsh", 127, null, "sh: 1: virsh: not found\n").ran, true);
});
