/**
 * A network namespace of the test's own, with addresses on its loopback device and mdserver
 * (the built CLI, as deployed) serving inside it: for clients that have the metadata address
 * hard-coded. The namespace and the server are removed when the test ends, pass or fail.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestContext } from "node:test";
import { tempDir, writeFiles } from "../../helpers/test-server.js";

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL("../../../src/main.js", import.meta.url));
let counter = 0;

export interface Namespace {
  readonly name: string;
  /** Runs a command inside the namespace; resolves with its standard output as is. */
  exec(command: string, args: readonly string[]): Promise<string>;
  /** Makes the kernel pick `source` for traffic to the local address `destination`. */
  sourceFor(destination: string, source: string): Promise<void>;
}

export interface NamespaceOptions {
  /** Addresses with prefix for the namespace's lo, e.g. "169.254.169.254/32". */
  readonly addresses: readonly string[];
  /** mdserver.conf text (relative paths are taken from its directory). */
  readonly config: string;
  readonly files?: Record<string, string>;
}

/** Creates the namespace, starts mdserver in it and waits until it listens. */
export async function startInNamespace(
  t: TestContext,
  options: NamespaceOptions,
): Promise<Namespace> {
  const name = `mdsec2-${process.pid}-${++counter}`;
  const ip = (...args: string[]) => run("ip", args);
  await ip("netns", "add", name);
  // Filled in once started; cleanup must also run when setting up fails before that.
  const started: { server?: ChildProcess } = {};
  t.after(async () => {
    const { server } = started;
    if (server?.exitCode === null && server.signalCode === null) {
      const exited = once(server, "exit");
      server.kill("SIGTERM");
      await exited;
    }
    await ip("netns", "del", name);
  });
  await ip("-n", name, "link", "set", "lo", "up");
  for (const address of options.addresses) {
    const v6 = address.includes(":");
    await ip(
      "-n",
      name,
      ...(v6 ? ["-6"] : []),
      "addr",
      "add",
      address,
      "dev",
      "lo",
      ...(v6 ? ["nodad"] : []),
    );
  }
  const dir = await tempDir(t, "mdserver-netns-");
  await writeFiles(dir, { "mdserver.conf": options.config, ...options.files });
  const server = spawn(
    "ip",
    [
      "netns",
      "exec",
      name,
      process.execPath,
      MAIN,
      "serve",
      "--config",
      join(dir, "mdserver.conf"),
    ],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  started.server = server;
  await listening(server);
  return {
    name,
    exec: async (command, args) =>
      (await run("ip", ["netns", "exec", name, command, ...args])).stdout,
    sourceFor: async (destination, source) => {
      await ip(
        "-n",
        name,
        "route",
        "replace",
        "local",
        destination,
        "dev",
        "lo",
        "table",
        "local",
        "scope",
        "host",
        "src",
        source,
      );
    },
  };
}

/** Resolves when the server logs that it listens; rejects with its output if it exits first. */
function listening(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`mdserver did not start in 10 s:\n${output}`)),
      10_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/"msg":"listening"/.test(output)) {
        clearTimeout(timer);
        server.stdout?.off("data", onData);
        server.stdout?.resume();
        resolve();
      }
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.on("exit", (code) => fail(new Error(`mdserver exited with ${code}:\n${output}`)));
  });
}
