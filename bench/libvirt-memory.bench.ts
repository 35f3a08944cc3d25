/**
 * Memory of `mdserver serve` on 10,000 domains of libvirt's test driver (issue #7 asks under
 * 150 MB), after every guest fetched its meta-data and user-data once: each guest asks for the
 * meta-data listing (which builds its whole EC2 tree), its instance-id and its user-data (the
 * built-in #cloud-config, rendered), from its own reserved address. Reports the server's
 * resident set (VmRSS) then, and its peak (VmHWM); the virsh children are not counted.
 * Median and spread of a few starts.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually } from "../test/helpers/eventually.js";
import { generatedGuest, writeGeneratedNode } from "../test/helpers/generated-node.js";
import { freePort, get, median, startServe } from "./serve-child.js";

const DOMAINS = 10_000;
const STARTS = 3;
const CONCURRENCY = 32;
const PATHS = ["/latest/meta-data/", "/latest/meta-data/instance-id", "/latest/user-data"];

/** A line of /proc/PID/status in MB, e.g. "VmRSS". */
function statusMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
  if (kb === undefined) throw new Error(`no ${field} for ${pid}`);
  return Number(kb) / 1024;
}

/** Every guest fetches PATHS once, CONCURRENCY guests at a time. */
async function everyGuestAsks(port: number): Promise<void> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < DOMAINS; i = next++) {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        for (const path of PATHS)
          if ((await get(port, generatedGuest(i).ip, path, agent)) !== 200) failed++;
        agent.destroy();
      }
    }),
  );
  if (failed > 0) throw new Error(`${failed} requests were not answered 200`);
}

interface Run {
  /** Resident set once every domain is served, before any guest asked. */
  readonly loaded: number;
  readonly rss: number;
  readonly peak: number;
}

async function measure(dir: string, uri: string): Promise<Run> {
  const port = await freePort();
  const server = await startServe(dir, uri, port);
  try {
    const last = generatedGuest(DOMAINS - 1).ip;
    await eventually(
      "every domain to be served",
      async () => {
        if (server.exited) throw new Error(server.lines.join("\n"));
        return (await get(port, last, PATHS[1]!)) === 200;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const loaded = statusMb(server.pid, "VmRSS");
    await everyGuestAsks(port);
    // Let the last responses' buffers go before reading the resident set.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return { loaded, rss: statusMb(server.pid, "VmRSS"), peak: statusMb(server.pid, "VmHWM") };
  } finally {
    await server.stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), "mdserver-bench-memory-"));
try {
  const uri = await writeGeneratedNode(dir, DOMAINS);
  const runs: Run[] = [];
  for (let i = 0; i < STARTS; i++) runs.push(await measure(dir, uri));
  const mb = (values: number[]) =>
    `${median(values).toFixed(0)} MB (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)})`;
  process.stdout.write(
    `${DOMAINS} domains, every guest fetched meta-data and user-data once (${STARTS} starts):\n` +
      `  RSS ${mb(runs.map((r) => r.rss))} (target < 150 MB); peak ${mb(runs.map((r) => r.peak))}; ` +
      `after the load, before any request ${mb(runs.map((r) => r.loaded))}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
