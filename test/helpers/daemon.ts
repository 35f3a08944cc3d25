/** Long-running processes a test starts, and one-shot commands, all with bounded waits. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { promisify } from "node:util";

/** Runs a command to completion (at most `timeoutMs`); rejects with its stderr on failure. */
export async function run(
  command: string,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, [...args], { timeout: timeoutMs });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")}: ${e.stderr?.trim() || e.message}`);
  }
}

/** A process started by a test, stopped by its own PID. */
export interface Daemon {
  readonly pid: number;
  /** Every line it wrote to stdout and stderr so far. */
  readonly lines: string[];
  /** True once it has exited. */
  readonly exited: boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Sends a signal (SIGSTOP/SIGCONT for a hanging daemon). */
  signal(signal: NodeJS.Signals): void;
}

/** Starts `command`; its output is collected line by line. */
export function startDaemon(command: string, args: readonly string[]): Daemon {
  const child: ChildProcess = spawn(command, [...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => lines.push(line));
  }
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", () => {
      exited = true;
      resolve();
    });
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    lines,
    get exited() {
      return exited;
    },
    async stop(graceMs = 5000) {
      if (exited) return;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exit;
      clearTimeout(force);
    },
    signal(signal) {
      if (!exited) child.kill(signal);
    },
  };
}
