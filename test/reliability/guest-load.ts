/**
 * What the reliability tests measure while an attacker runs: the server's resident memory (from
 * /proc, by its PID) and how long a well-behaved guest waits for its answers.
 */
import { readFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { send } from "../helpers/http-client.js";

/** Resident set size of process `pid`, in MB (0 once it is gone). */
export async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Requests for `path`, back to back, one connection at a time from each address of `from` (an
 * address listed twice runs two such loops), until `ms` have passed or `until()` is true;
 * answers are not checked. Returns how many were sent.
 */
export async function hammer(options: {
  port: number;
  from: readonly string[];
  path: string;
  ms: number;
  until?: () => boolean;
}): Promise<number> {
  const deadline = Date.now() + options.ms;
  const over = () => Date.now() >= deadline || (options.until?.() ?? false);
  let sent = 0;
  await Promise.all(
    options.from.map(async (from) => {
      for (let i = 0; i < 100_000 && !over(); i++) {
        await send({ port: options.port, from, path: options.path }).catch(() => undefined);
        sent++;
      }
    }),
  );
  return sent;
}

/** What a well-behaved guest saw: each request's latency (ms) and status (0: no answer). */
export interface GuestRecord {
  readonly latencies: number[];
  readonly statuses: number[];
  /** The largest RSS seen while it ran, in MB. */
  maxRssMb: number;
}

/** The p-th percentile (0..100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

/**
 * A guest at `from` asking `path` every `everyMs` (one request at a time, a fresh connection
 * each) until `stop` resolves, while the server's RSS is sampled. Bounded: at most 2,000 asks.
 */
export async function politeGuest(
  port: number,
  from: string,
  path: string,
  pid: number,
  stop: Promise<void>,
  everyMs = 50,
): Promise<GuestRecord> {
  const record: GuestRecord = { latencies: [], statuses: [], maxRssMb: 0 };
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (let i = 0; i < 2000 && !stopped; i++) {
    const started = performance.now();
    const status = await send({ port, from, path }).then(
      (r) => r.status,
      () => 0,
    );
    record.latencies.push(performance.now() - started);
    record.statuses.push(status);
    record.maxRssMb = Math.max(record.maxRssMb, await rssMb(pid));
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return record;
}

/**
 * `connections` sockets from `from`, each writing `perSend` pipelined GETs of `path` per write
 * for `durationMs`, reading the answers only when `read` is set; with `reconnect`, a socket the
 * server closes is opened again until the time is up (a hostile guest that keeps at it).
 * Resolves when it is over and every socket is closed; also counts the answer bytes that were
 * read and the connections made.
 */
export async function pipeliningFlood(options: {
  port: number;
  from: string;
  path: string;
  connections: number;
  perSend: number;
  durationMs: number;
  read: boolean;
  reconnect?: boolean;
}): Promise<{ writes: number; bytesRead: number; connects: number }> {
  const chunk = Buffer.from(
    `GET ${options.path} HTTP/1.1\r\nHost: x\r\n\r\n`.repeat(options.perSend),
    "latin1",
  );
  const deadline = Date.now() + options.durationMs;
  let writes = 0;
  let bytesRead = 0;
  let connects = 0;
  const connection = (): Promise<void> =>
    new Promise((resolve) => {
      connects++;
      const socket: Socket = connect({
        port: options.port,
        host: "127.0.0.1",
        localAddress: options.from,
      });
      socket.on("error", () => undefined);
      socket.on("close", () => resolve());
      if (options.read) socket.on("data", (d: Buffer) => (bytesRead += d.length));
      else socket.pause();
      const pump = (): void => {
        // Bounded by time and by count.
        for (let i = 0; i < 100_000 && Date.now() < deadline && !socket.destroyed; i++) {
          writes++;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
      };
      socket.on("connect", pump);
      setTimeout(() => socket.destroy(), Math.max(0, deadline - Date.now()));
    });
  const one = async (): Promise<void> => {
    const times = options.reconnect ? 1_000_000 : 1;
    for (let i = 0; i < times && Date.now() < deadline; i++) await connection();
  };
  await Promise.all(Array.from({ length: options.connections }, one));
  return { writes, bytesRead, connects };
}
