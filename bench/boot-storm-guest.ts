/**
 * The load of bench/boot-storm: guests booting as cloud-init's Ec2 data source does (PUT
 * /latest/api/token, then with the token meta-data/instance-id, user-data, a recursive crawl
 * of meta-data/ and the instance identity document) over one keep-alive connection each, and
 * a storm of them, each guest from its own 127.1.x.y address.
 */
import { Agent, request } from "node:http";
import { percentile } from "../test/reliability/guest-load.js";

/** Bounds on the crawl, so a wrong listing cannot loop. */
const MAX_DEPTH = 8;
const MAX_REQUESTS = 300;

/** Guest i's address: 127.1.x.y (as test/helpers/generated-node.ts gives domain i). */
export function guestAddress(i: number): string {
  return `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request over `agent`; status 0 when the connection failed. */
export function ask(
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

/** What one guest's boot saw. */
export interface GuestRun {
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
export async function boot(port: number, from: string): Promise<GuestRun> {
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

/** What a storm of boots saw, over every guest. */
export interface StormResult {
  /** Milliseconds from the first start to the last answer. */
  readonly wall: number;
  readonly requests: number;
  /** Requests not answered 200. */
  readonly errors: number;
  readonly request: { readonly p50: number; readonly p99: number };
  readonly boot: { readonly p50: number; readonly p99: number };
}

/** Guests 0..guests-1 boot, guest i starting at i * spreadMs / guests. */
export async function storm(port: number, guests: number, spreadMs: number): Promise<StormResult> {
  const started = performance.now();
  const runs = await Promise.all(
    Array.from(
      { length: guests },
      (_, i) =>
        new Promise<GuestRun>((resolve) =>
          setTimeout(() => resolve(boot(port, guestAddress(i))), (i * spreadMs) / guests),
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
