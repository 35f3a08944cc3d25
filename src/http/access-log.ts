/**
 * The access log: one JSON line per request, in the same shape as the logger's other lines
 * (level, time, pid, fields, msg). It is written straight to the logger's destination instead
 * of through pino's generic serialiser, because it runs on every request and the generic path
 * (object walk, a fresh ISO timestamp each time) cost a large share of the hot path's time.
 */
import { pino } from "pino";
import type { Logger } from "../log/logger.js";

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

function quote(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** An access log writing to `log`'s destination (a file or standard output). */
export function createAccessLog(log: Logger): AccessLog {
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
  return (entry) => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      lastTime = new Date(now).toISOString();
    }
    const instance = entry.instance === undefined ? "" : `,"instance":${quote(entry.instance)}`;
    stream.write(
      `${head}${lastTime}${pid}${quote(entry.client)}${instance},"method":${quote(entry.method)},"path":${quote(entry.path)},"status":${entry.status},"ms":${entry.ms},"msg":"request"}\n`,
    );
  };
}
