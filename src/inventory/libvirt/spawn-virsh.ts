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
const killLive = () => live.forEach((child) => child.kill("SIGKILL"));

/** Starts `virsh -q -r -c URI` (quiet, read-only) with pipes on stdin, stdout and stderr. */
export function spawnVirsh(virsh: string, uri: string): ChildProcessWithoutNullStreams {
  const args = ["-q", "-r", "-c", uri];
  const pdeathsig = ["--pdeathsig", "KILL", "--"];
  deathSignal ??= spawnSync("setpriv", [...pdeathsig, "true"], { stdio: "ignore" }).status === 0;
  const child = deathSignal
    ? spawn("setpriv", [...pdeathsig, virsh, ...args], { env: virshEnv() })
    : spawn(virsh, args, { env: virshEnv() });
  if (live.size === 0) process.on("exit", killLive);
  live.add(child);
  const forget = () => {
    live.delete(child);
    if (live.size === 0) process.off("exit", killLive);
  };
  child.once("exit", forget);
  // A virsh that could not be started: "exit" may not follow.
  child.once("error", forget);
  return child;
}

/**
 * Tells `end` how a virsh ended: `ran` false when it could not be run at all (the reason is
 * then "cannot run VIRSH: WHY"), else its status or signal and the errors it printed on stderr
 * (`stderr.pendingErrors()`), e.g. "(1): failed to connect to the hypervisor". May tell twice.
 */
export function onVirshEnd(
  child: ChildProcessWithoutNullStreams,
  virsh: string,
  stderr: { pendingErrors(): string },
  end: (ran: boolean, reason: string) => void,
): void {
  child.on("error", (error) => end(false, `cannot run ${virsh}: ${error.message}`));
  child.on("close", (code, signal) => {
    const { ran, reason } = virshEnd(virsh, code, signal, stderr.pendingErrors());
    end(ran, reason);
  });
}

/** Ends a virsh: `ask` it to, and kill it if it has not exited within a second. */
export async function stopVirsh(child: ChildProcessWithoutNullStreams, ask: () => void) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 1000);
    child.once("close", () => resolve(clearTimeout(force)));
    ask();
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
