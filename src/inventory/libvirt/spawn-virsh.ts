/** Every virsh mdserver runs (sessions and event streams) is started here, the same way. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

/** The arguments of every virsh mdserver starts: quiet, read-only, on one URI. */
export function virshArgs(uri: string): string[] {
  return ["-q", "-r", "-c", uri];
}

/**
 * The environment virsh runs in: ours, with unlocalised messages, and no readline history
 * (a session sends thousands of commands nobody will scroll back through).
 */
export function virshEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_ALL: "C", VIRSH_HISTSIZE: "0" };
}

/** Starts `virsh -q -r -c URI` with pipes on stdin, stdout and stderr. */
export function spawnVirsh(virsh: string, uri: string): ChildProcessWithoutNullStreams {
  return spawn(virsh, virshArgs(uri), { env: virshEnv() });
}

/**
 * Why a virsh ended, for logs and health: its status or signal in parentheses and the errors
 * it printed, e.g. "(1): failed to connect to the hypervisor".
 */
export function virshExitReason(
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): string {
  const errors = stderr
    .trim()
    .replace(/^error: /gm, "")
    .replace(/\n/g, "; ");
  return `(${signal ?? code})${errors ? `: ${errors}` : ""}`;
}

/** Describes a virsh that could not be started (the "error" event of its process). */
export function virshSpawnError(virsh: string, error: Error): string {
  return `cannot run ${virsh}: ${error.message}`;
}
