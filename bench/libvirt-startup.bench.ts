/**
 * Start-up to first answer: `mdserver serve` started as a process on 1,000 domains of libvirt's
 * test driver (issue #3 aims under 2 s), and on 10,000 for scale. Timed from spawning the
 * process to the first 200 for a guest, polled every 10 ms; it includes Node's own start
 * (~0.1 s) and the test driver reading its XML file (twice, once per virsh session). Median
 * and spread of 5 starts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually } from "../test/helpers/eventually.js";
import { generatedGuest, writeGeneratedNode } from "../test/helpers/generated-node.js";
import { freePort, get, median, startServe } from "./serve-child.js";

const RUNS: ReadonlyArray<[domains: number, starts: number]> = [
  [1000, 5],
  [10_000, 3],
];
const PATH = "/latest/meta-data/instance-id";

/** CPU seconds used so far by `root` and every process under it (Linux clock ticks: 100/s). */
function cpuSeconds(root: number): number {
  const procs = readdirSync("/proc").flatMap((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return [{ pid: Number(name), ppid: Number(fields[1]), ticks: +fields[11]! + +fields[12]! }];
    } catch {
      return [];
    }
  });
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const under = (pid: number) => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && hops < 64; hops++) {
      if (p === root) return true;
      p = parent.get(p);
    }
    return false;
  };
  return procs.filter((p) => under(p.pid)).reduce((sum, p) => sum + p.ticks, 0) / 100;
}

async function timeToFirstAnswer(
  dir: string,
  uri: string,
  domains: number,
): Promise<{ ms: number; cpu: number }> {
  const port = await freePort();
  // The last domain: it is read last, or close to it.
  const guest = generatedGuest(domains - 1).ip;
  const started = performance.now();
  const server = await startServe(dir, uri, port);
  try {
    await eventually(
      "the first answer",
      async () => {
        if (server.exited) throw new Error(server.lines.join("\n"));
        return (await get(port, guest, PATH)) === 200;
      },
      { timeoutMs: 300_000, intervalMs: 10 },
    );
    return { ms: performance.now() - started, cpu: cpuSeconds(server.pid) };
  } finally {
    await server.stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), "mdserver-bench-startup-"));
try {
  process.stdout.write(
    "domains  starts  first answer after (median, min-max)  CPU used by then (median, min-max)\n",
  );
  for (const [domains, starts] of RUNS) {
    const uri = await writeGeneratedNode(dir, domains);
    const runs: Array<{ ms: number; cpu: number }> = [];
    for (let i = 0; i < starts; i++) runs.push(await timeToFirstAnswer(dir, uri, domains));
    const spread = (values: number[]) =>
      `${median(values).toFixed(2)} s (${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)})`;
    const wall = spread(runs.map((r) => r.ms / 1000));
    const cpu = spread(runs.map((r) => r.cpu));
    process.stdout.write(
      `${String(domains).padStart(7)}  ${String(starts).padStart(6)}  ${wall.padEnd(36)}  ${cpu}\n`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
