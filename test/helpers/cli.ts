/** Runs the real command line (bin/mdserver) as a child process. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { REPO_ROOT } from "./paths.js";
import { tempDir, writeFiles } from "./test-server.js";

export const MDSERVER_BIN = join(REPO_ROOT, "bin", "mdserver");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mdserver ...args` to completion (bounded by `timeoutMs`). */
export function runCli(args: readonly string[], timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MDSERVER_BIN, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `mdserver ...args` in the background; the caller stops it by its PID. */
export function startCli(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [MDSERVER_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  // The kernel may hand the same port to two probes in a row (each is closed at once): a test
  // asking for two (metadata and admin) could get one twice, and its server could not start.
  for (let tries = 0; ; tries++) {
    const port = await probePort();
    if (!handedOut.has(port) || tries >= 20) {
      handedOut.add(port);
      return port;
    }
  }
}

const handedOut = new Set<number>();

function probePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** An `mdserver` started in the background by a test, stopped when the test ends. */
export interface BackgroundServer {
  readonly child: ChildProcess;
  /** The directory holding its mdserver.conf. */
  readonly dir: string;
  readonly port: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

/**
 * Writes the config `configFor(port)` (with a free port) and `files` to a temporary directory
 * and starts `mdserver <that file>`, the original's invocation; killed by its PID at test end.
 */
export async function serveInBackground(
  t: TestContext,
  configFor: (port: number) => string,
  files: Record<string, string> = {},
): Promise<BackgroundServer> {
  const dir = await tempDir(t);
  const port = await freePort();
  await writeFiles(dir, { "mdserver.conf": configFor(port), "userdata/.keep": "", ...files });
  const child = startCli([join(dir, "mdserver.conf")]);
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return { child, dir, port, output: () => output };
}
