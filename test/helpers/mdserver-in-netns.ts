/**
 * mdserver (the built CLI, as deployed) serving inside a network namespace of the test's own,
 * with addresses on the namespace's loopback: for clients that have the metadata address
 * hard-coded. The namespace and the server are removed when the test ends, pass or fail.
 */
import { join } from "node:path";
import type { TestContext } from "node:test";
import { MDSERVER_BIN } from "./cli.js";
import { run, startDaemon, type Daemon } from "./daemon.js";
import { eventually } from "./eventually.js";
import { createNetns, inNetns } from "./netns.js";
import { Teardown } from "./teardown.js";
import { tempDir, writeFiles } from "./test-server.js";

let counter = 0;

export interface MdserverNamespace {
  readonly name: string;
  readonly server: Daemon;
  /** Runs a command inside the namespace; resolves with its standard output as is. */
  exec(command: string, args: readonly string[]): Promise<string>;
  /** Makes the kernel pick `source` for traffic to the local address `destination`. */
  sourceFor(destination: string, source: string): Promise<void>;
}

export interface MdserverNamespaceOptions {
  /** Addresses with prefix for the namespace's lo, e.g. "169.254.169.254/32". */
  readonly addresses: readonly string[];
  /** mdserver.conf text (relative paths are taken from its directory). */
  readonly config: string;
  readonly files?: Record<string, string>;
  /** Log text to wait for before returning (default: the first "listening" line). */
  readonly readyWhen?: string;
}

/** Adds an address to the namespace's loopback (IPv6 without duplicate address detection). */
export async function addLoopbackAddress(ns: string, address: string): Promise<void> {
  const v6 = address.includes(":");
  await run("ip", [
    "-n",
    ns,
    ...(v6 ? ["-6"] : []),
    "addr",
    "add",
    address,
    "dev",
    "lo",
    ...(v6 ? ["nodad"] : []),
  ]);
}

/** Creates the namespace, starts mdserver in it and waits until it is ready. */
export async function startInNamespace(
  t: TestContext,
  options: MdserverNamespaceOptions,
): Promise<MdserverNamespace> {
  const teardown = new Teardown(t);
  const name = await createNetns(teardown, `mdsns-${process.pid}-${++counter}`);
  for (const address of options.addresses) await addLoopbackAddress(name, address);
  const dir = await tempDir(t, "mdserver-netns-");
  await writeFiles(dir, { "mdserver.conf": options.config, ...options.files });
  const server = startDaemon("ip", [
    "netns",
    "exec",
    name,
    process.execPath,
    MDSERVER_BIN,
    "serve",
    "--config",
    join(dir, "mdserver.conf"),
  ]);
  teardown.add(`stop mdserver (pid ${server.pid})`, () => server.stop());
  const ready = options.readyWhen ?? '"msg":"listening"';
  await eventually(`mdserver in ${name} to log ${ready}`, () => {
    if (server.exited) throw new Error(`mdserver exited:\n${server.lines.join("\n")}`);
    return server.lines.some((line) => line.includes(ready));
  });
  return {
    name,
    server,
    exec: (command, args) => inNetns(name, command, args),
    sourceFor: async (destination, source) => {
      await run("ip", [
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
      ]);
    },
  };
}
