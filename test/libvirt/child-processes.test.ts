/**
 * mdserver's virsh children (sessions and event streams) must not outlive it, even when it is
 * killed with SIGKILL and runs no code of its own on the way out.
 *
 * The connection URI is a remote one, so the event streams run; the virsh configured is a
 * wrapper that opens libvirt's test driver instead, where `event --loop` waits forever (no
 * event ever comes), as it would on a quiet host.
 */
import assert from "node:assert/strict";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, startCli } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { FIXTURE_URI } from "../helpers/libvirt-fixture.js";
import { tempDir } from "../helpers/test-server.js";
import { processInfo, virshUnder } from "./virsh-processes.js";

/** The virsh processes whose parent is `parent`. */
function virshChildren(parent: number): number[] {
  return virshUnder(parent).filter((pid) => processInfo(pid)?.ppid === parent);
}

/** True while `pid` is a running (not yet dead) virsh. */
function virshAlive(pid: number): boolean {
  const info = processInfo(pid);
  return info !== undefined && info.comm === "virsh" && info.state !== "Z" && info.state !== "X";
}

test("mdserver killed with SIGKILL: its virsh sessions and event streams end too", async (t) => {
  const dir = await tempDir(t);
  const virsh = join(dir, "virsh-on-test-driver");
  await writeFile(virsh, `#!/bin/sh\nexec virsh -q -r -c '${FIXTURE_URI}'\n`);
  await chmod(virsh, 0o755);
  await mkdir(join(dir, "userdata"));
  await mkdir(join(dir, "leases"));
  const conf = join(dir, "mdserver.conf");
  await writeFile(
    conf,
    `[mdserver]
listen_address = 127.0.0.1
port = ${await freePort()}
logfile = -
userdata_dir = ${join(dir, "userdata")}

[libvirt]
uri = qemu+ssh://mdserver-test.invalid/system
virsh = ${virsh}

[dnsmasq]
base_dir = ${join(dir, "leases")}
`,
  );

  const server = startCli(["serve", "--config", conf]);
  const pid = server.pid ?? -1;
  let output = "";
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let children: number[] = [];
  t.after(() => {
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    // Whatever survived a failing run: these PIDs, and only while they are still virsh.
    for (const child of children) if (virshAlive(child)) process.kill(child, "SIGKILL");
  });

  // The session and two event streams.
  await eventually(
    "mdserver to run its three virsh",
    () => {
      if (server.exitCode !== null) throw new Error(output);
      children = virshChildren(pid);
      return output.includes('"listening"') && children.length === 3;
    },
    { timeoutMs: 15_000 },
  );

  server.kill("SIGKILL");
  await eventually(
    "every virsh to end with mdserver",
    () => children.every((child) => !virshAlive(child)),
    { timeoutMs: 5000 },
  ).catch((error: unknown) => {
    const left = children.filter(virshAlive);
    assert.fail(`${String(error)}; still running: ${left.join(", ")}`);
  });
});
