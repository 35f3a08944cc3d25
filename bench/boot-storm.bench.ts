/**
 * A boot storm: 500 guests, each from its own 127.1.x.y address, run cloud-init's Ec2 request
 * sequence (bench/boot-storm-guest.ts), (a) their starts spread over 10 s, (b) all at once;
 * against mdserver with the static source ([instance:NAME] sections), mdserver with the same
 * guests as domains of libvirt's test driver (reserved addresses on the network "mds"), and a
 * bare node:http server answering the same paths with constant strings. Then the same storms
 * against both mdservers with one hostile guest beside them: a known guest (guest 500)
 * pipelining GET /latest/user-data without reading on several connections, reconnecting each
 * time the server closes one, from a process of its own; the other guests' errors (must be 0)
 * and latency, and the server's peak RSS, are reported.
 *
 * Every storm runs BENCH_ROUNDS times, rows interleaved within a round so that the machine's
 * other load weighs on all alike; each figure is the median [min-max] of the rounds. The
 * default limits (client_rate, max_client_connections, max_connections) are left as they are:
 * they must not hurt a boot storm. Load generator and servers share the machine's cores.
 * Knobs: BENCH_GUESTS (500), BENCH_ROUNDS (3), BENCH_HOSTILE_CONNECTIONS (5).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { writeGeneratedNode } from "../test/helpers/generated-node.js";
import { floodInChild } from "../test/reliability/flood-child.js";
import { rssMb } from "../test/reliability/guest-load.js";
import { ask, boot, guestAddress, storm, type StormResult } from "./boot-storm-guest.js";
import { freePort, median } from "./serve-child.js";

const GUESTS = Number(process.env.BENCH_GUESTS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const HOSTILE_CONNECTIONS = Number(process.env.BENCH_HOSTILE_CONNECTIONS ?? 5);
const SPREAD_MS = 10_000;
/** The hostile guest: known to the server, not one of the guests measured. */
const HOSTILE = guestAddress(GUESTS);
/** How long the hostile guest floods before the storm starts. */
const HOSTILE_LEAD_MS = 500;
const RSS_SAMPLE_MS = 100;

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));
const BARE = fileURLToPath(new URL("./boot-storm-bare.js", import.meta.url));

/** [mdserver] as both sources use it: the access log to a file, at its default level. */
function mdserverSection(port: number, dir: string, source: string): string {
  return `[mdserver]
port = ${port}
listen_address = 127.0.0.1
logfile = ${join(dir, `mdserver-${source}.log`)}
userdata_dir = ${join(dir, "userdata")}
instance_source = ${source}

[admin]
port = 0
`;
}

/** The static source: guests 0..GUESTS (the last one the hostile guest). */
function staticConfig(port: number, dir: string): string {
  const instances = Array.from({ length: GUESTS + 1 }, (_, i) => {
    const hex = i.toString(16).padStart(4, "0");
    return `[instance:guest${i}]
ip = ${guestAddress(i)}
mac = 52:54:00:00:${hex.slice(0, 2)}:${hex.slice(2)}
uuid = b0b0b0b0-1111-4222-8333-00000000${hex}
`;
  });
  return `${mdserverSection(port, dir, "static")}\n${instances.join("\n")}`;
}

/** libvirt's test driver: the same addresses, as GUESTS + 1 domains with reservations. */
function libvirtConfig(port: number, dir: string, uri: string): string {
  return `${mdserverSection(port, dir, "libvirt")}
[libvirt]
uri = ${uri}
timeout = 60

[dnsmasq]
base_dir = ${dir}
`;
}

/** Lines of a server's stderr saying its log buffer was full, by server; counted, not shown. */
const logFull = new Map<string, number>();

/**
 * Starts a server process and waits for guest 0 to be answered (60 s at most). Its stderr is
 * passed on, but for the "not written fast enough" lines of its log, which are counted.
 */
async function startServer(
  name: string,
  command: readonly string[],
  port: number,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, { stdio: ["ignore", "ignore", "pipe"] });
  if (child.stderr) {
    createInterface({ input: child.stderr }).on("line", (line) => {
      if (!/not written fast enough/.test(line)) return void process.stderr.write(`${line}\n`);
      logFull.set(name, (logFull.get(name) ?? 0) + 1);
    });
  }
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < 600 && Date.now() < deadline && child.exitCode === null; i++) {
    const agent = new Agent();
    const { status } = await ask(port, guestAddress(0), agent, "PUT", "/latest/api/token", {
      "X-aws-ec2-metadata-token-ttl-seconds": "60",
    });
    agent.destroy();
    if (status === 200) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${command.join(" ")} did not answer (within 60 s)`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

interface Target {
  readonly name: string;
  readonly port: number;
  /** The server's process, for its RSS (mdserver only). */
  readonly pid?: number;
}

/**
 * One storm's figures, with the server's RSS as the storm began and the largest seen while it
 * ran (MB; 0: not sampled). Memory a storm took is not all given back, so the start matters.
 */
type Measured = StormResult & { readonly startRssMb: number; readonly peakRssMb: number };

/** A storm against `target`, its RSS sampled; with a hostile guest flooding beside it if asked. */
async function measure(target: Target, spreadMs: number, hostile: boolean): Promise<Measured> {
  const stopFlood = new AbortController();
  const flood = hostile
    ? floodInChild(
        {
          port: target.port,
          from: HOSTILE,
          path: "/latest/user-data",
          connections: HOSTILE_CONNECTIONS,
          perSend: 1000,
          durationMs: spreadMs + 60_000,
          read: false,
          reconnect: true,
        },
        stopFlood.signal,
      )
    : Promise.resolve();
  if (hostile) await new Promise((r) => setTimeout(r, HOSTILE_LEAD_MS));
  const startRssMb = await rssMb(target.pid ?? -1);
  let peakRssMb = 0;
  let sampling = target.pid !== undefined;
  const sampler = (async () => {
    for (let i = 0; i < 100_000 && sampling; i++) {
      peakRssMb = Math.max(peakRssMb, await rssMb(target.pid ?? -1));
      await new Promise((r) => setTimeout(r, RSS_SAMPLE_MS));
    }
  })();
  const result = await storm(target.port, GUESTS, spreadMs);
  sampling = false;
  stopFlood.abort();
  await Promise.all([flood, sampler]);
  return { ...result, startRssMb, peakRssMb };
}

/** "median [min-max]" of some figures. */
function spread(values: readonly number[], digits = 1): string {
  const f = (n: number) => n.toFixed(digits);
  return `${f(median(values))} [${f(Math.min(...values))}-${f(Math.max(...values))}]`;
}

function report(label: string, runs: readonly Measured[]): void {
  const pick = (f: (m: Measured) => number) => runs.map(f);
  const peak = pick((m) => m.peakRssMb);
  process.stdout.write(
    `${label.padEnd(44)} errors ${pick((m) => m.errors).join(",")}; ` +
      `request p50 ${spread(
        pick((m) => m.request.p50),
        2,
      )}, p99 ${spread(pick((m) => m.request.p99))} ms; ` +
      `boot p99 ${spread(
        pick((m) => m.boot.p99),
        0,
      )} ms; total ${spread(
        pick((m) => m.wall),
        0,
      )} ms` +
      `${
        peak.some((r) => r > 0)
          ? `; RSS ${spread(
              pick((m) => m.startRssMb),
              0,
            )} -> peak ${spread(peak, 0)} MB`
          : ""
      }\n`,
  );
}

const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const dir = mkdtempSync(join(tmpdir(), "mdserver-boot-storm-"));
const children: ChildProcess[] = [];
try {
  // No user-data files: every guest gets the built-in #cloud-config, rendered for it.
  mkdirSync(join(dir, "userdata"));
  const staticPort = await freePort();
  writeFileSync(join(dir, "static.conf"), staticConfig(staticPort, dir));
  const md = await startServer(
    "mdserver static",
    [MAIN, "serve", "--config", join(dir, "static.conf")],
    staticPort,
  );
  children.push(md);
  const uri = await writeGeneratedNode(dir, GUESTS + 1);
  const libvirtPort = await freePort();
  writeFileSync(join(dir, "libvirt.conf"), libvirtConfig(libvirtPort, dir, uri));
  const lv = await startServer(
    "mdserver libvirt",
    [MAIN, "serve", "--config", join(dir, "libvirt.conf")],
    libvirtPort,
  );
  children.push(lv);
  // The bare server gets the very answers mdserver gave guest 0.
  const sample = await boot(staticPort, guestAddress(0));
  const answersFile = join(dir, "answers.json");
  writeFileSync(answersFile, JSON.stringify(Object.fromEntries(sample.answers)));
  const barePort = await freePort();
  const bare = await startServer("bare node:http", [BARE, String(barePort), answersFile], barePort);
  children.push(bare);

  const targets: Target[] = [
    { name: "bare node:http", port: barePort },
    { name: "mdserver static", port: staticPort, pid: md.pid },
    { name: "mdserver libvirt", port: libvirtPort, pid: lv.pid },
  ];
  const rows: Array<{ label: string; target: Target; spreadMs: number; hostile: boolean }> = [];
  for (const [mode, spreadMs] of [
    [`spread over ${SPREAD_MS / 1000} s`, SPREAD_MS],
    ["all at once", 0],
  ] as const) {
    for (const target of targets) {
      rows.push({ label: `${target.name}, ${mode}`, target, spreadMs, hostile: false });
    }
    for (const target of targets.filter((t) => t.pid !== undefined)) {
      const label = `${target.name} + hostile, ${mode}`;
      rows.push({ label, target, spreadMs, hostile: true });
    }
  }
  process.stdout.write(
    `${GUESTS} guests, ${sample.latencies.length} requests each; ${ROUNDS} rounds, figures are ` +
      `median [min-max]; hostile guest: ${HOSTILE_CONNECTIONS} connections pipelining 1,000 ` +
      `requests a write without reading; load average before: ${loadavg()}\n`,
  );
  const results = rows.map(() => [] as Measured[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, row] of rows.entries()) {
      results[i]?.push(await measure(row.target, row.spreadMs, row.hostile));
    }
  }
  for (const [i, row] of rows.entries()) report(row.label, results[i] ?? []);
  const total = (label: string) =>
    median((results[rows.findIndex((r) => r.label === label)] ?? []).map((m) => m.wall));
  for (const source of ["static", "libvirt"]) {
    const ratio = total(`mdserver ${source}, all at once`) / total("bare node:http, all at once");
    process.stdout.write(
      `all at once, mdserver ${source} total / bare total: ${ratio.toFixed(2)} (goal <= 1.5)\n`,
    );
  }
  for (const [name, count] of logFull) {
    process.stdout.write(`${name}: its log buffer was full ${count} times (lines dropped)\n`);
  }
  process.stdout.write(`load average after: ${loadavg()}\n`);
} finally {
  await Promise.all(children.map(stop));
  rmSync(dir, { recursive: true, force: true });
}
