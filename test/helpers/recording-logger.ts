/** A logger that keeps its lines in memory, so tests can count what was logged. */
import { pino } from "pino";
import type { Logger } from "../../src/log/logger.js";

/** One parsed log line. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** pino's number for "warn". */
export const WARN = 40;

/** A debug-level logger and the lines it wrote. */
export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino(
    { level: "debug" },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { log, lines };
}
