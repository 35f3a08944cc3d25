/**
 * The event streams of one connection (domains, network lifecycle): each a long-lived virsh,
 * restarted with backoff when it ends; none for the test driver. virsh first echoes a marker,
 * possible only once its connection is open ("up") and before any event, then runs the event
 * loop; its stdin is closed after the two commands, so it exits when the loop ends.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { isTestDriver } from "./connection-uri.js";
import { parseEventLine, type LibvirtEvent } from "./events.js";
import { spawnVirsh, stopVirsh } from "./spawn-virsh.js";

/** Delays between restarts: doubling from the first to the last, back to the first once up. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Which stream. */
export type EventKind = LibvirtEvent["object"];

/** Where the streams connect and whom they tell. */
interface EventFeedOptions {
  readonly virsh: string;
  readonly uri: string;
  readonly backoff: Backoff;
  /** The streams to run (default: both). */
  readonly kinds?: readonly EventKind[];
  onEvent(event: LibvirtEvent): void;
  /** A stream is open; `resumed` when it had been open before (events may have been lost). */
  onUp(kind: EventKind, resumed: boolean): void;
  /** A stream ended; it is restarted after the backoff. */
  onDown(kind: EventKind, reason: string): void;
}

/** Starts the streams; returns what stops them (and waits, briefly, for their virsh to exit). */
export function startEventFeed(options: EventFeedOptions): () => Promise<void> {
  if (isTestDriver(options.uri)) return async () => {};
  const kinds = options.kinds ?? (["domain", "network"] as const);
  const streams = kinds.map((kind) => eventStream(kind, options));
  return async () => void (await Promise.all(streams.map((stop) => stop())));
}

/** Keeps one `virsh … --loop` running; returns what stops it. */
function eventStream(kind: EventKind, options: EventFeedOptions): () => Promise<void> {
  const command = kind === "domain" ? "event --loop --all" : "net-event --loop --event lifecycle";
  const exited = `"virsh ${command}" ended`;
  let [delay, ups, stopped] = [options.backoff.initialMs, 0, false];
  let child: ChildProcessWithoutNullStreams;
  let restart: NodeJS.Timeout | undefined;
  const start = () => {
    let [up, errors] = [false, ""];
    child = spawnVirsh(options, { pendingErrors: () => errors }, exited, (why) => {
      if (stopped) return;
      options.onDown(kind, why);
      restart = setTimeout(start, delay);
      delay = Math.min(delay * 2, options.backoff.maxMs);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      errors = (errors + chunk).slice(-2000);
    });
    child.stdin.end(`echo 'MDS''up'\n${command}\n`);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const event = parseEventLine(line);
      if (up && event?.object === kind) options.onEvent(event);
      if (up || !line.includes("MDSup")) return;
      up = true;
      delay = options.backoff.initialMs;
      options.onUp(kind, ups++ > 0);
    });
  };
  start();
  return async () => {
    stopped = true;
    clearTimeout(restart);
    await stopVirsh(child, "SIGTERM");
  };
}
