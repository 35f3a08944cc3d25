/**
 * Runs pipeliningFlood in a process of its own, so that the attacker's work does not slow the
 * test's well-behaved guest and the latency measured is the server's:
 * `node flood-child.js '<options as JSON>'`; prints the result as JSON.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { pipeliningFlood } from "./guest-load.js";

type Options = Parameters<typeof pipeliningFlood>[0];

/**
 * Starts the flood in a child process; resolves when it is over (bounded by its duration), or
 * once `signal` aborts it (the child is then killed by its PID).
 */
export function floodInChild(options: Options, signal?: AbortSignal): Promise<void> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(options)], {
    stdio: "ignore",
  });
  const guard = setTimeout(() => child.kill("SIGKILL"), options.durationMs + 10_000);
  const abort = () => child.kill("SIGKILL");
  signal?.addEventListener("abort", abort, { once: true });
  return new Promise((resolve) =>
    child.once("exit", () => {
      clearTimeout(guard);
      signal?.removeEventListener("abort", abort);
      resolve();
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await pipeliningFlood(JSON.parse(process.argv[2] ?? "{}") as Options);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
