/**
 * Every virsh mdserver runs is started here, and none outlives mdserver (`virsh event --loop`
 * reads no stdin, so it would not notice mdserver dying): util-linux's setpriv (2.33 or later,
 * checked once) gives it the parent-death signal, SIGKILL included, and a process "exit" hook
 * kills every virsh still running for every exit Node sees.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";

/** virsh's environment: C locale, no history, UTC (local times repeat an hour when DST ends). */
export function virshEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: "C", TZ: "UTC", VIRSH_HISTSIZE: "0" };
}

/** Every virsh started and not yet exited. */
const live = new Set<ChildProcessWithoutNullStreams>();
process.on("exit", () => live.forEach((child) => child.kill("SIGKILL")));
let deathSignal: boolean | undefined;

/** Starts `virsh -q [-r] -c URI` with three pipes; `ended` is told once why it ended or failed. */
export function spawnVirsh(
  options: { readonly virsh: string; readonly uri: string; readonly readWrite?: boolean },
  stderr: { pendingErrors(): string },
  exited: string,
  ended: (reason: string) => void,
): ChildProcessWithoutNullStreams {
  const { virsh, uri } = options;
  const args = ["-q", ...(options.readWrite ? [] : ["-r"]), "-c", uri];
  const pdeathsig = ["--pdeathsig", "KILL", "--"];
  deathSignal ??= spawnSync("setpriv", [...pdeathsig, "true"], { stdio: "ignore" }).status === 0;
  const child = deathSignal
    ? spawn("setpriv", [...pdeathsig, virsh, ...args], { env: virshEnv() })
    : spawn(virsh, args, { env: virshEnv() });
  live.add(child);
  // "close" comes after "error" too (emitted when virsh could not be started).
  let error: Error | undefined;
  child.on("error", (e) => (error ??= e));
  child.on("close", (code, signal) => {
    live.delete(child);
    if (error) return ended(`cannot run ${virsh}: ${error.message}`);
    ended(virshEnd(exited, signal ?? code, stderr.pendingErrors()));
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
const NOT_RUN = /^setpriv: failed to execute (.*?): ([^:\n]+)$/m;

/** How a virsh ended: `exited`, its status or signal and its errors; or why it did not run. */
export function virshEnd(exited: string, status: number | string | null, stderr: string): string {
  const notRun = status === 127 ? NOT_RUN.exec(stderr) : null;
  if (notRun) return `cannot run ${notRun[1]}: ${notRun[2]}`;
  const errors = stderr.trim().replace(/^error: /gm, "");
  return `${exited} (${status})${errors ? `: ${errors.replaceAll("\n", "; ")}` : ""}`;
}
