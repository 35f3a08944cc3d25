/**
 * What one inventory change costs the DNS writer (hosts-file mode), for 100, 2,000 and 10,000
 * guests: building the records from the instances (pure), and a whole sync of the file (read,
 * render, write to a temporary file, fsync, rename, fsync the directory) when one guest
 * changes. No dnsmasq is signalled (no pid file). Medians of 20 rounds each. The records are
 * timed in CPU time of this process (the machine may be shared: wall time would measure the
 * neighbours); the file sync in wall time (it waits for the disk).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dnsRecords } from "../src/dns/dns-records.js";
import { HostsFileBackend } from "../src/dns/hosts-file-backend.js";
import type { Instance } from "../src/inventory/instance.js";
import { median } from "./serve-child.js";

const ROUNDS = 20;
const NAMING = {
  prefix: "test-",
  domain: "example.com",
  entry_order: ["base", "prefix", "domain"] as const,
};

function instances(count: number, moved: number): Instance[] {
  // Guest 0 moves between rounds: one line of the file changes.
  const address = (i: number) =>
    i === 0 ? `10.255.0.${moved}` : `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`;
  return Array.from({ length: count }, (_, i) => ({
    name: `vm${i}`,
    uuid: String(i),
    source: "static",
    interfaces: [{ network: "mds", addresses: [address(i)] }],
  }));
}

async function measure(count: number, dir: string): Promise<void> {
  const backend = new HostsFileBackend({
    baseDir: dir,
    networks: ["mds"],
    addnHosts: join(dir, `hosts-${count}`),
  });
  const build: number[] = [];
  const sync: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const view = instances(count, (round % 200) + 1);
    const cpu = process.cpuUsage();
    const { records } = dnsRecords(view, NAMING);
    const used = process.cpuUsage(cpu);
    build.push((used.user + used.system) / 1000);
    const started = performance.now();
    const problems = await backend.sync(records);
    sync.push(performance.now() - started);
    if (problems.size > 0) throw new Error([...problems.values()].map((p) => p.message).join("; "));
  }
  process.stdout.write(
    `${String(count).padStart(6)} guests: records ${median(build).toFixed(2)} ms CPU, file sync ${median(sync).toFixed(2)} ms (median of ${ROUNDS})\n`,
  );
}

const dir = await mkdtemp(join(tmpdir(), "mdserver-dns-bench-"));
try {
  for (const count of [100, 2000, 10_000]) await measure(count, dir);
} finally {
  await rm(dir, { recursive: true, force: true });
}
