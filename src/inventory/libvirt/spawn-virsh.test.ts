import assert from "node:assert/strict";
import { test } from "node:test";
import { virshEnd } from "./spawn-virsh.js";

test("a virsh that ran: its status or signal and its errors, without their prefix", () => {
  assert.equal(
    virshEnd("virsh exited", 1, "error: failed to connect\nerror: no socket\n"),
    "virsh exited (1): failed to connect; no socket",
  );
  assert.equal(virshEnd("virsh exited", "SIGKILL", ""), "virsh exited (SIGKILL)");
});

test("a virsh setpriv could not run is told apart from one that ran", () => {
  const stderr = "setpriv: failed to execute /opt/virsh: No such file or directory\n";
  assert.equal(
    virshEnd("virsh exited", 127, stderr),
    "cannot run /opt/virsh: No such file or directory",
  );
  // A wrapper script's own 127 is an exit like any other.
  assert.equal(
    virshEnd("virsh exited", 127, "sh: 1: virsh: not found\n"),
    "virsh exited (127): sh: 1: virsh: not found",
  );
});
