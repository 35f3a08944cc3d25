/**
 * A boot storm: 500 guests (static [instance:NAME] sections, from 127.1.x.y) each run
 * cloud-init's Ec2 request sequence — PUT /latest/api/token, then with the token
 * meta-data/instance-id, user-data, a recursive crawl of meta-data/ and the instance identity
 * document — over one keep-alive connection, (a) their starts spread over 10 s, (b) all at
 * once; beside a bare node:http server answering the same paths with constant strings. The
 * default limits (client_rate, max_client_connections, max_connections) are left as they are:
 * they must not hurt a boot storm. Load generator and servers share the machine's cores.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./serve-child.js";

const GUESTS = Number(process.env.BENCH_GUESTS ?? 500);
const SPREAD_MS = 10_000;
/** Bounds on the crawl, so a wrong listing cannot loop. */
const MAX_DEPTH = 8;
const MAX_REQUESTS = 300;

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));
const BARE = fileURLToPath(new URL("./boot-storm-bare.js", import.meta.url));

/** Guest i's address: 127.1.x.y. */
function address(i: number): string {
  return `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

function config(port: number, dir: string): string {
  const instances = Array.from({ length: GUESTS }, (_, i) => {
    const hex = i.toString(16).padStart(4, "0");
    return `[instance:guest${i}]
ip = ${address(i)}
mac = 52:54:00:00:${hex.slice(0, 2)}:${hex.slice(2)}
uuid = b0b0b0b0-1111-4222-8333-00000000${hex}
`;
  });
  return `[mdserver]
port = ${port}
listen_address = 127.0.0.1
logfile = ${join(dir, "mdserver.log")}
userdata_dir = ${join(dir, "userdata")}
instance_source = static

${instances.join("\n")}`;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request over `agent`; status 0 when the connection failed. */
function ask(
  port: number,
  from: string,
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(
      { host: "127.0.0.1", port, path, method, headers, localAddress: from, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on("error", () => resolve({ status: 0, body: "" }));
    req.setTimeout(30_000, () => req.destroy());
    req.end();
  });
}

interface GuestRun {
  /** Milliseconds of each request. */
  readonly latencies: number[];
  /** Requests not answered 200. */
  errors: number;
  /** Milliseconds from the first request to the last answer. */
  total: number;
  /** Path -> body of every 200 GET (to give the bare server the same answers). */
  readonly answers: Map<string, string>;
}

/** cloud-init's Ec2 data source's requests, as one guest booting makes them. */
async function boot(port: number, from: string): Promise<GuestRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const run: GuestRun = { latencies: [], errors: 0, total: 0, answers: new Map() };
  const started = performance.now();
  const call = async (method: string, path: string, headers: Record<string, string>) => {
    const t0 = performance.now();
    const answer = await ask(port, from, agent, method, path, headers);
    run.latencies.push(performance.now() - t0);
    if (answer.status !== 200) run.errors++;
    else if (method === "GET") run.answers.set(path, answer.body);
    return answer;
  };
  const token = await call("PUT", "/latest/api/token", {
    "X-aws-ec2-metadata-token-ttl-seconds": "21600",
  });
  const headers = { "X-aws-ec2-metadata-token": token.body };
  await call("GET", "/latest/meta-data/instance-id", headers);
  await call("GET", "/latest/user-data", headers);
  // As cloud-init's MetadataMaterializer: "name/" is a directory, "0=key" a directory "0/".
  const crawl = async (path: string, depth: number): Promise<void> => {
    const listing = await call("GET", path, headers);
    if (listing.status !== 200 || depth >= MAX_DEPTH) return;
    for (const line of listing.body.split("\n").filter(Boolean)) {
      if (run.latencies.length >= MAX_REQUESTS) return;
      const name = line.includes("=") ? `${line.split("=")[0]}/` : line;
      if (name.endsWith("/")) await crawl(path + name, depth + 1);
      else await call("GET", path + name, headers);
    }
  };
  await crawl("/latest/meta-data/", 0);
  await call("GET", "/latest/dynamic/instance-identity/document", headers);
  run.total = performance.now() - started;
  agent.destroy();
  return run;
}

/** Every guest boots, guest i starting at i * spreadMs / GUESTS. */
async function storm(port: number, spreadMs: number) {
  const started = performance.now();
  const runs = await Promise.all(
    Array.from(
      { length: GUESTS },
      (_, i) =>
        new Promise<GuestRun>((resolve) =>
          setTimeout(() => resolve(boot(port, address(i))), (i * spreadMs) / GUESTS),
        ),
    ),
  );
  const wall = performance.now() - started;
  const latencies = runs.flatMap((r) => r.latencies);
  const boots = runs.map((r) => r.total);
  return {
    wall,
    requests: latencies.length,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    request: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    boot: { p50: percentile(boots, 50), p99: percentile(boots, 99) },
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

/** Starts a server process and waits for guest 0 to be answered (30 s at most). */
async function startServer(command: readonly string[], port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, { stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < 300 && Date.now() < deadline && child.exitCode === null; i++) {
    const agent = new Agent();
    const { status } = await ask(port, address(0), agent, "PUT", "/latest/api/token", {
      "X-aws-ec2-metadata-token-ttl-seconds": "60",
    });
    agent.destroy();
    if (status === 200) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`${command.join(" ")} did not answer (within 30 s)`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function report(name: string, r: Awaited<ReturnType<typeof storm>>): void {
  const f = (n: number) => n.toFixed(1);
  process.stdout.write(
    `${name.padEnd(28)} ${String(r.requests).padStart(6)} requests, ${r.errors} errors; ` +
      `request p50 ${f(r.request.p50)} / p99 ${f(r.request.p99)} ms; ` +
      `boot p50 ${f(r.boot.p50)} / p99 ${f(r.boot.p99)} ms; all done in ${f(r.wall)} ms\n`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "mdserver-boot-storm-"));
const children: ChildProcess[] = [];
try {
  const mdPort = await freePort();
  const file = join(dir, "mdserver.conf");
  writeFileSync(file, config(mdPort, dir));
  // No user-data files: every guest gets the built-in #cloud-config, rendered for it.
  mkdirSync(join(dir, "userdata"));
  const md = await startServer([MAIN, "serve", "--config", file], mdPort);
  children.push(md);
  // The bare server gets the very answers mdserver gave guest 0.
  const sample = await boot(mdPort, address(0));
  const answersFile = join(dir, "answers.json");
  writeFileSync(answersFile, JSON.stringify(Object.fromEntries(sample.answers)));
  process.stdout.write(`${GUESTS} guests, ${sample.latencies.length} requests each\n`);
  const barePort = await freePort();
  const bare = await startServer([BARE, String(barePort), answersFile], barePort);
  children.push(bare);
  for (const [label, spread] of [
    [`spread over ${SPREAD_MS / 1000} s`, SPREAD_MS],
    ["all at once", 0],
  ] as const) {
    report(`mdserver, ${label}`, await storm(mdPort, spread));
    report(`bare node:http, ${label}`, await storm(barePort, spread));
  }
} finally {
  await Promise.all(children.map(stop));
  rmSync(dir, { recursive: true, force: true });
}
