/** One-shot commands whose exit status a test asserts on (daemon.ts's run() throws instead). */
import { execFile } from "node:child_process";

/** How a command ended. `code` is null when it was killed (time-out or signal). */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion, at most `timeoutMs`; never rejects for a failing status. */
export function runCommand(
  command: string,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : (error as { code?: unknown }).code;
        // A string code (ENOENT...) means the command could not be started at all.
        if (typeof code === "string") return reject(error ?? new Error(code));
        resolve({ code: typeof code === "number" ? code : null, stdout, stderr });
      },
    );
  });
}

/** Runs a command and throws, with its output, unless it exits 0. */
export async function mustRun(
  command: string,
  args: readonly string[],
  timeoutMs?: number,
): Promise<CommandResult> {
  const result = await runCommand(command, args, timeoutMs);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.code}:\n${result.stdout}${result.stderr}`,
    );
  }
  return result;
}
