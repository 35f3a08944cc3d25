/**
 * Every virsh mdserver runs is started here, and none outlives mdserver (`virsh event --loop`
 * reads no stdin, so it would not notice mdserver dying): util-linux's setpriv (2.33 or later,
 * checked once) gives it the parent-death signal, SIGKILL included, and a process "exit" hook
 * kills every virsh still running for every exit Node sees.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";

/**
 * Ours, with unlocalised messages, times in UTC (lease ends are printed in local time,
 * ambiguous in the hour a DST change repeats) and no readline history.
 */
export function virshEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: "C", TZ: "UTC", VIRSH_HISTSIZE: "0" };
}

/** Every virsh started and not yet exited. */
const live = new Set<ChildProcessWithoutNullStreams>();
let deathSignal: boolean | undefined;

/**
 * Starts `virsh -q -r -c URI` (quiet; read-only unless `readWrite`) with pipes on stdin, stdout
 * and stderr. `ended` is told once how it ended: `ran` false when it could not be run at all,
 * else its status or signal and the errors it printed that belong to nothing else (see virshEnd).
 */
export function spawnVirsh(
  options: { readonly virsh: string; readonly uri: string; readonly readWrite?: boolean },
  stderr: { pendingErrors(): string },
  ended: (ran: boolean, reason: string) => void,
): ChildProcessWithoutNullStreams {
  const { virsh, uri } = options;
  const args = ["-q", ...(options.readWrite ? [] : ["-r"]), "-c", uri];
  const pdeathsig = ["--pdeathsig", "KILL", "--"];
  if (deathSignal === undefined) {
    deathSignal = spawnSync("setpriv", [...pdeathsig, "true"], { stdio: "ignore" }).status === 0;
    process.on("exit", () => live.forEach((child) => child.kill("SIGKILL")));
  }
  const child = deathSignal
    ? spawn("setpriv", [...pdeathsig, virsh, ...args], { env: virshEnv() })
    : spawn(virsh, args, { env: virshEnv() });
  live.add(child);
  // "close" comes after "error" too (emitted when virsh could not be started).
  let error: Error | undefined;
  child.on("error", (e) => (error ??= e));
  child.on("close", (code, signal) => {
    live.delete(child);
    if (error) return ended(false, `cannot run ${virsh}: ${error.message}`);
    const { ran, reason } = virshEnd(virsh, code, signal, stderr.pendingErrors());
    ended(ran, reason);
  });
  // A write after virsh died fails with EPIPE; its end is told above.
  child.stdin.on("error", () => {});
  return child;
}

/** Ends a virsh: its input (or `signal`) asks it to; killed if it has not exited in a second. */
export async function stopVirsh(child: ChildProcessWithoutNullStreams, signal?: "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 1000);
    child.once("close", () => resolve(clearTimeout(force)));
    if (signal === undefined) child.stdin.end();
    else child.kill(signal);
  });
}

// setpriv's own words when it cannot execute the program it was to run.
const NOT_RUN = /^setpriv: failed to execute .*?: ([^:\n]+)$/m;

/** Describes the end of a virsh from its exit status or signal and what it wrote on stderr. */
export function virshEnd(
  virsh: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): { ran: boolean; reason: string } {
  const notRun = code === 127 ? NOT_RUN.exec(stderr) : null;
  if (notRun) return { ran: false, reason: `cannot run ${virsh}: ${notRun[1]}` };
  const errors = stderr
    .trim()
    .replace(/^error: /gm, "")
    .replace(/\n/g, "; ");
  return { ran: true, reason: `(${signal ?? code})${errors ? `: ${errors}` : ""}` };
}
