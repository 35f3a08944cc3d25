/**
 * Start-up to first answer: `mdserver serve` started as a process on 1,000 and 10,000 domains of
 * libvirt's test driver (issue #7 aims under 1 s and 5 s). Timed from spawning the process to
 * the first 200 for the last domain's guest, polled every 10 ms; it includes Node's own start
 * (~0.1 s), loading the program, and the test driver reading its XML file (2.4-3.5 s of virsh's
 * CPU at 10,000 domains). Two programs: the packaged one (the bundle the .deb and .rpm install
 * as /usr/bin/mdserver, loaded in ~0.3 s) and the compiled tree (`node build/src/main.js`, about
 * 200 modules loaded one by one, ~0.55 s). Median and spread of several starts.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { eventually } from "../test/helpers/eventually.js";
import { generatedGuest, writeGeneratedNode } from "../test/helpers/generated-node.js";
import { freePort, get, MAIN, median, startServe } from "./serve-child.js";

const RUNS: ReadonlyArray<[domains: number, starts: number]> = [
  [1000, 5],
  [10_000, 3],
];
const PATH = "/latest/meta-data/instance-id";
const REPO = fileURLToPath(new URL("../../", import.meta.url));

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
  program: string,
): Promise<{ ms: number; cpu: number }> {
  const port = await freePort();
  // The last domain: it is read last, or close to it.
  const guest = generatedGuest(domains - 1).ip;
  const started = performance.now();
  const server = await startServe(dir, uri, port, program);
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
  const bundled = spawnSync(
    process.execPath,
    [join(REPO, "packaging/bundle.mjs"), join(dir, "pkg")],
    {
      encoding: "utf8",
    },
  );
  if (bundled.status !== 0) throw new Error(`packaging/bundle.mjs failed: ${bundled.stderr}`);
  const programs = [
    { name: "packaged", path: join(dir, "pkg", "mdserver.js") },
    { name: "compiled tree", path: MAIN },
  ];
  process.stdout.write(
    "domains  program        starts  first answer after (median, min-max)  CPU used by then (median, min-max)\n",
  );
  const spread = (values: number[]) =>
    `${median(values).toFixed(2)} s (${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)})`;
  for (const [domains, starts] of RUNS) {
    const uri = await writeGeneratedNode(dir, domains);
    // Interleaved, so that both programs see the same machine.
    const runs = new Map(programs.map((p) => [p.name, [] as Array<{ ms: number; cpu: number }>]));
    for (let i = 0; i < starts; i++)
      for (const { name, path } of programs)
        runs.get(name)!.push(await timeToFirstAnswer(dir, uri, domains, path));
    for (const [name, results] of runs) {
      const wall = spread(results.map((r) => r.ms / 1000));
      const cpu = spread(results.map((r) => r.cpu));
      process.stdout.write(
        `${String(domains).padStart(7)}  ${name.padEnd(13)}  ${String(starts).padStart(6)}  ${wall.padEnd(36)}  ${cpu}\n`,
      );
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
