/**
 * For benchmarks: `mdserver serve` as a child process on loopback, on a libvirt URI, and a
 * keep-alive HTTP load from many guest addresses at once.
 */
import { writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDaemon, type Daemon } from "../test/helpers/daemon.js";

/** The compiled tree's entry point (the packaged program is a bundle of it: packaging/bundle.mjs). */
export const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Writes a config serving `uri` on 127.0.0.1:`port` and starts `mdserver serve` with it. Only
 * warnings are logged, so the numbers measure serving, not the access log; no per-client rate
 * limit, as the lookup bench drives a few guests far past a boot's pace (429s otherwise).
 * `program` is the script node runs: the compiled tree's main.js unless told otherwise.
 */
export async function startServe(
  dir: string,
  uri: string,
  port: number,
  program = MAIN,
): Promise<Daemon> {
  const config = join(dir, `mdserver-${port}.conf`);
  await writeFile(
    config,
    `[mdserver]
listen_address = 127.0.0.1
port = ${port}
logfile = -
loglevel = warning
userdata_dir = ${dir}
client_rate = 0

[libvirt]
uri = ${uri}
timeout = 60

[dnsmasq]
base_dir = ${dir}
`,
  );
  return startDaemon(process.execPath, [program, "serve", "--config", config]);
}

/** One GET from `from`; resolves with the status (0 when the connection failed). */
export function get(port: number, from: string, path: string, agent?: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path, localAddress: from, agent: agent ?? false },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end();
  });
}

/**
 * Requests per second answered 200, with one keep-alive connection per guest address, all
 * asking back to back for `durationMs` (after `warmupMs` not counted).
 */
export async function measureThroughput(
  port: number,
  guests: readonly string[],
  path: string,
  durationMs: number,
  warmupMs = 500,
): Promise<number> {
  const start = performance.now();
  const end = start + warmupMs + durationMs;
  let counted = 0;
  let failed = 0;
  await Promise.all(
    guests.map(async (from) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 10_000_000 && performance.now() < end; i++) {
        const status = await get(port, from, path, agent);
        if (performance.now() < start + warmupMs) continue;
        if (status === 200) counted++;
        else failed++;
      }
      agent.destroy();
    }),
  );
  if (failed > 0) throw new Error(`${failed} requests were not answered 200`);
  return counted / (durationMs / 1000);
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
