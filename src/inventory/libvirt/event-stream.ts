/**
 * The two event streams of one connection (domain events, network lifecycle events): each a
 * long-lived `virsh` printing libvirt's events, restarted with backoff when it ends (libvirt
 * went away, the connection dropped, virsh was killed). The test driver gets none: its events
 * never leave the connection that caused them.
 *
 * virsh runs interactively: it first echoes a marker, which it can only do once its
 * connection is open, then runs the event loop. That marker is "up". Its stdin is closed after
 * the two commands, so when the loop ends with the connection, virsh reads end-of-file and
 * exits instead of waiting for more commands. (The loop itself reads no stdin: it would not
 * notice mdserver dying. spawn-virsh.ts sees to that.)
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { isTestDriver } from "./connection-uri.js";
import { parseEventLine, type LibvirtEvent } from "./events.js";
import { spawnVirsh, virshEnd, virshSpawnError } from "./spawn-virsh.js";

/** Delays between restarts: doubling from the first to the last, back to the first once up. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** What to run and whom to tell. */
interface EventStreamOptions {
  readonly virsh: string;
  readonly uri: string;
  /** The looping virsh command, e.g. "event --loop --all". */
  readonly command: string;
  /** Restart delays (the source's retry backoff). */
  readonly backoff: Backoff;
  /** Every line of output once up. */
  onLine(line: string): void;
  /** The connection is open and events are about to flow. */
  onUp(): void;
  /** The stream ended; it will be restarted after the backoff. */
  onDown(reason: string): void;
}

/** One `virsh … --loop` kept running. */
class EventStream {
  private child: ChildProcessWithoutNullStreams | undefined;
  private restart: NodeJS.Timeout | undefined;
  private delay: number;
  private stopped = false;

  constructor(private readonly options: EventStreamOptions) {
    this.delay = options.backoff.initialMs;
  }

  start(): void {
    if (this.stopped || this.child !== undefined) return;
    const ready = `MDS${randomBytes(6).toString("hex")}READY`;
    const { virsh, uri, command } = this.options;
    const child = spawnVirsh(virsh, uri);
    this.child = child;
    let up = false;
    let errors = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      errors = (errors + chunk).slice(-2000);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(`echo '${ready.slice(0, 3)}''${ready.slice(3)}'\n${command}\n`);
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (up) return this.options.onLine(line);
      if (!line.includes(ready)) return;
      up = true;
      this.delay = this.options.backoff.initialMs;
      this.options.onUp();
    });
    let ended = false;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      this.child = undefined;
      if (this.stopped) return;
      this.options.onDown(reason);
      this.schedule();
    };
    child.on("error", (error) => end(virshSpawnError(virsh, error)));
    child.on("close", (code, signal) => {
      const ended = virshEnd(virsh, code, signal, errors);
      end(ended.ran ? `"virsh ${command}" ended ${ended.reason}` : ended.reason);
    });
  }

  /** Stops the stream for good and waits (briefly) for virsh to exit. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 1000);
      child.once("close", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  private schedule(): void {
    const { maxMs } = this.options.backoff;
    this.restart = setTimeout(() => this.start(), this.delay);
    this.delay = Math.min(this.delay * 2, maxMs);
  }
}

/** Which stream. */
export type EventKind = LibvirtEvent["object"];

/** Where the streams connect and whom they tell. */
export interface EventFeedOptions {
  readonly virsh: string;
  readonly uri: string;
  readonly backoff: Backoff;
  onEvent(event: LibvirtEvent): void;
  /** A stream is open; `resumed` when it had been open before (events may have been lost). */
  onUp(kind: EventKind, resumed: boolean): void;
  onDown(kind: EventKind, reason: string): void;
}

const COMMANDS: ReadonlyArray<[EventKind, string]> = [
  ["domain", "event --loop --all"],
  ["network", "net-event --loop --event lifecycle"],
];

/** Starts the streams; returns what stops them all. */
export function startEventFeed(options: EventFeedOptions): () => Promise<void> {
  if (isTestDriver(options.uri)) return async () => {};
  const streams = COMMANDS.map(([kind, command]) => {
    let wasUp = false;
    const stream = new EventStream({
      ...options,
      command,
      onLine: (line) => {
        const event = parseEventLine(line);
        if (event?.object === kind) options.onEvent(event);
      },
      onUp: () => {
        options.onUp(kind, wasUp);
        wasUp = true;
      },
      onDown: (reason) => options.onDown(kind, reason),
    });
    stream.start();
    return stream;
  });
  return async () => void (await Promise.all(streams.map((s) => s.stop())));
}
