/**
 * systemd booted as the init of a throwaway Debian root, to run a unit for real: in new PID,
 * mount, cgroup, UTS and IPC namespaces and in the test's network namespace, the way
 * systemd-nspawn would. It cannot touch the host: /sys and /proc/sys are read-only, the
 * capabilities to load modules, set the clock or reboot are gone, and it boots a target that
 * starts nothing but what sysinit.target needs (no gettys on the host's consoles). Killed, with
 * everything it started, when the test ends or dies.
 */
import { readFileSync } from "node:fs";
import { mkdir, readdir, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCommand, type CommandResult } from "./command.js";
import type { DebianRoot } from "./debian-root.js";
import { startDaemon } from "./daemon.js";
import { eventually } from "./eventually.js";
import type { Teardown } from "./teardown.js";

/** The unit it boots into: basic system set-up, nothing else. */
const TARGET = `[Unit]
Description=mdserver packaging test
Requires=sysinit.target
After=sysinit.target
`;

/** Runs inside the new namespaces, as their PID 1: mounts what systemd needs, then execs it. */
const BOOT = `set -e
M=$1
mount --bind "$M" "$M"
mount -t proc proc "$M/proc"
mount --bind "$M/proc/sys" "$M/proc/sys"
mount -o remount,bind,ro "$M/proc/sys"
mount -t sysfs -o ro sysfs "$M/sys"
mount -t cgroup2 cgroup2 "$M/sys/fs/cgroup"
mount -t tmpfs -o mode=0755 tmpfs "$M/run"
mount -t tmpfs -o mode=1777 tmpfs "$M/tmp"
mount --bind "$M/var/log/console.log" "$M/dev/console"
exec chroot "$M" /usr/bin/env -i container=mdserver-test PATH=/usr/sbin:/usr/bin \\
  setpriv --bounding-set=-sys_module,-sys_time,-sys_boot,-sys_rawio,-syslog,-wake_alarm,-sys_pacct \\
  -- /usr/lib/systemd/systemd --unit=mdserver-test.target`;

/** A booted systemd: systemctl and other commands run inside its namespaces. */
export interface BootedSystemd {
  /** Host PID of the container's systemd (its PID 1). */
  readonly pid: number;
  /** Runs a command in the container (its mounts, PIDs and root). */
  run(args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  /** What systemd wrote to its console (for failure messages). */
  console(): string;
}

/** Boots systemd in `root`, inside network namespace `netns`. */
export async function bootSystemd(
  root: DebianRoot,
  teardown: Teardown,
  netns: string,
): Promise<BootedSystemd> {
  await writeFile(root.path("/etc/systemd/system/mdserver-test.target"), TARGET);
  await writeFile(root.path("/var/log/console.log"), "");
  // A cgroup of its own, which the cgroup namespace makes the container's root.
  const cgroup = join(cgroup2Mount(), `mdserver-test-${process.pid}-${Date.now()}`);
  await mkdir(cgroup);
  teardown.add(`remove ${cgroup}`, () => removeCgroup(cgroup));
  const boot = startDaemon("setpriv", [
    "--pdeathsig",
    "KILL",
    "--",
    "sh",
    "-c",
    'echo $$ >"$1/cgroup.procs" && shift && exec "$@"',
    "sh",
    cgroup,
    "nsenter",
    "-t",
    String(root.namespacePid),
    "-m",
    `--net=/run/netns/${netns}`,
    "--",
    "unshare",
    "--fork",
    "--kill-child=SIGKILL",
    "--pid",
    "--mount",
    "--cgroup",
    "--uts",
    "--ipc",
    "--propagation",
    "private",
    "sh",
    "-c",
    BOOT,
    "sh",
    root.dir,
  ]);
  // Stopping unshare kills its child, systemd, and with it the whole PID namespace.
  teardown.add("stop the booted systemd", () => boot.stop());
  const consoleText = () => readFileSync(root.path("/var/log/console.log"), "utf8");
  let pid = 0;
  await eventually(`systemd to start (${boot.lines.join(" | ")})`, () => {
    if (boot.exited) throw new Error(`the boot ended: ${boot.lines.join(" | ")}`);
    pid = Number.parseInt(readFileSync(`/proc/${boot.pid}/task/${boot.pid}/children`, "utf8"));
    return pid > 0;
  });
  const run = (args: readonly string[], timeoutMs?: number) =>
    runCommand(
      "nsenter",
      ["-t", String(pid), "-m", "-p", "-r", "-w", "--", "/usr/bin/env", "-i"].concat([
        "PATH=/usr/sbin:/usr/bin",
        ...args,
      ]),
      timeoutMs,
    );
  // Booted once the start-up jobs are done ("degraded" counts: a test asserts on its own unit).
  try {
    await eventually(
      "systemd to finish booting",
      async () => {
        const state = (await run(["systemctl", "is-system-running"])).stdout.trim();
        return state === "running" || state === "degraded";
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; its console:\n${consoleText()}`);
  }
  return { pid, run, console: consoleText };
}

/** Where the cgroup2 hierarchy is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified). */
function cgroup2Mount(): string {
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const [mounts, fs] = line.split(" - ");
    if (fs?.startsWith("cgroup2 ")) return mounts?.split(" ")[4] ?? "";
  }
  throw new Error("no cgroup2 hierarchy mounted");
}

/** Removes a cgroup tree once its processes are gone (children first). */
async function removeCgroup(dir: string): Promise<void> {
  await eventually(`${dir} to empty`, async () => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) await removeCgroup(join(dir, entry.name));
    }
    await rmdir(dir);
    return true;
  });
}
