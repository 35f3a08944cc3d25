/**
 * Start-up to first answer: `mdserver serve` started as a process on 1,000 domains of libvirt's
 * test driver (issue #3 aims under 2 s), and on 10,000 for scale. Timed from spawning the
 * process to the first 200 for a guest, polled every 10 ms; it includes Node's own start
 * (~0.1 s) and the test driver reading its XML file (twice, once per virsh session). Median
 * and spread of 5 starts.
 */
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

async function timeToFirstAnswer(dir: string, uri: string, domains: number): Promise<number> {
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
      { timeoutMs: 120_000, intervalMs: 10 },
    );
    return performance.now() - started;
  } finally {
    await server.stop();
  }
}

const dir = await mkdtemp(join(tmpdir(), "mdserver-bench-startup-"));
try {
  process.stdout.write("domains  starts  first answer after (median, min-max)\n");
  for (const [domains, starts] of RUNS) {
    const uri = await writeGeneratedNode(dir, domains);
    const times: number[] = [];
    for (let i = 0; i < starts; i++) times.push(await timeToFirstAnswer(dir, uri, domains));
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    process.stdout.write(
      `${String(domains).padStart(7)}  ${String(starts).padStart(6)}  ${s(median(times))} (${s(Math.min(...times))}-${s(Math.max(...times))})\n`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
