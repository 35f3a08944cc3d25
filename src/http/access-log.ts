/**
 * The access log: one JSON line per request, in the same shape as the logger's other lines
 * (level, time, pid, fields, msg). It is written straight to the logger's destination instead
 * of through pino's generic serialiser, because it runs on every request and the generic path
 * (object walk, a fresh ISO timestamp each time) cost a large share of the hot path's time.
 */
import { pino } from "pino";
import type { Logger } from "../log/logger.js";
import { Sampler } from "../log/sampler.js";

/** What one line records; never secrets (no headers, no tokens, no bodies). */
export interface AccessEntry {
  readonly client: string;
  readonly instance: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Milliseconds from request to reply. */
  readonly ms: number;
}

/** Writes access-log lines; does nothing when the logger's level hides "info". */
export type AccessLog = (entry: AccessEntry) => void;

/** Characters that a JSON string cannot hold as they are. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029]/;

/** Longest field written whole: a guest sending 8 KB URLs must not make 8 KB log lines. */
export const FIELD_LIMIT = 256;

/** Access-log lines one client may write: a boot's ~50 at once, then 20 a second. */
const SAMPLE = { rate: 20, burst: 200 } as const;

/** Drops still unreported are summed up in one line at most this often. */
const SUMMARY_MS = 10_000;

function quote(value: string): string {
  if (value.length > FIELD_LIMIT) {
    value = `${value.slice(0, FIELD_LIMIT)}...(${value.length} characters)`;
  }
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/**
 * An access log writing to `log`'s destination (a file or standard output). Lines of a client
 * over its share are dropped; the next line written for it says how many ("dropped"), and
 * counts no later line reported are summed up every 10 seconds or so.
 */
export function createAccessLog(log: Logger, now: () => number = Date.now): AccessLog {
  if (!log.isLevelEnabled("info")) return () => {};
  const stream = (log as unknown as Record<symbol, { write(line: string): unknown }>)[
    pino.symbols.streamSym
  ];
  if (stream === undefined) return (entry) => log.info(entry, "request");
  const head = `{"level":"info","time":"`;
  const pid = `","pid":${process.pid},"client":`;
  // The ISO time changes at most once a millisecond; under load many lines share one.
  let lastMs = 0;
  let lastTime = "";
  const sampler = new Sampler(SAMPLE.rate, SAMPLE.burst, now);
  let summarised = now();
  return (entry) => {
    const time = now();
    if (time - summarised >= SUMMARY_MS) {
      summarised = time;
      const dropped = sampler.takeDropped();
      if (dropped.size > 0) {
        log.info({ dropped: Object.fromEntries(dropped) }, "access log lines dropped");
      }
    }
    const before = sampler.admit(entry.client);
    if (before === undefined) return;
    if (time !== lastMs) {
      lastMs = time;
      lastTime = new Date(time).toISOString();
    }
    const instance = entry.instance === undefined ? "" : `,"instance":${quote(entry.instance)}`;
    const dropped = before === 0 ? "" : `,"dropped":${before}`;
    stream.write(
      `${head}${lastTime}${pid}${quote(entry.client)}${instance},"method":${quote(entry.method)},"path":${quote(entry.path)},"status":${entry.status},"ms":${entry.ms}${dropped},"msg":"request"}\n`,
    );
  };
}
