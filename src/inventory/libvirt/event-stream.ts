/**
 * The two event streams of one connection (domain events, network lifecycle events): each a
 * long-lived `virsh` printing libvirt's events, restarted with backoff when it ends (libvirt
 * went away, the connection dropped, virsh was killed). The test driver gets none: its events
 * never leave the connection that caused them.
 *
 * virsh runs interactively: it first echoes a marker, which it can only do once its connection
 * is open, then runs the event loop; that marker is "up". Its stdin is closed after the two
 * commands, so when the loop ends with the connection, virsh reads end-of-file and exits. (The
 * loop itself reads no stdin: it would not notice mdserver dying; spawn-virsh.ts sees to that.)
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

/** Which stream. */
export type EventKind = LibvirtEvent["object"];

/** Where the streams connect and whom they tell. */
export interface EventFeedOptions {
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

const COMMANDS: ReadonlyArray<[EventKind, string]> = [
  ["domain", "event --loop --all"],
  ["network", "net-event --loop --event lifecycle"],
];

/** Starts the streams; returns what stops them (and waits, briefly, for their virsh to exit). */
export function startEventFeed(options: EventFeedOptions): () => Promise<void> {
  if (isTestDriver(options.uri)) return async () => {};
  const streams = COMMANDS.filter(([kind]) => options.kinds?.includes(kind) ?? true).map(
    ([kind, command]) => new EventStream(kind, command, options),
  );
  return async () => void (await Promise.all(streams.map((stream) => stream.stop())));
}

/** One `virsh … --loop` kept running. */
class EventStream {
  private child: ChildProcessWithoutNullStreams | undefined;
  private restart: NodeJS.Timeout | undefined;
  private delay: number;
  private wasUp = false;
  private stopped = false;

  constructor(
    private readonly kind: EventKind,
    private readonly command: string,
    private readonly options: EventFeedOptions,
  ) {
    this.delay = options.backoff.initialMs;
    this.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restart);
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill("SIGKILL"), 1000);
      child.once("close", () => resolve(clearTimeout(force)));
      child.kill("SIGTERM");
    });
  }

  private start(): void {
    const { virsh, uri, backoff } = this.options;
    const ready = randomBytes(6).toString("hex");
    const child = (this.child = spawnVirsh(virsh, uri));
    let [up, ended, errors] = [false, false, ""];
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      errors = (errors + chunk).slice(-2000);
    });
    child.stdin.on("error", () => {});
    child.stdin.end(`echo 'MDS''${ready}'\n${this.command}\n`);
    createInterface({ input: child.stdout }).on("line", (line) => {
      const event = parseEventLine(line);
      if (up && event?.object === this.kind) this.options.onEvent(event);
      if (up || !line.includes(`MDS${ready}`)) return;
      up = true;
      this.delay = backoff.initialMs;
      this.options.onUp(this.kind, this.wasUp);
      this.wasUp = true;
    });
    const end = (reason: string) => {
      if (ended || this.stopped) return;
      ended = true;
      this.child = undefined;
      this.options.onDown(this.kind, reason);
      this.restart = setTimeout(() => this.start(), this.delay);
      this.delay = Math.min(this.delay * 2, backoff.maxMs);
    };
    child.on("error", (error) => end(virshSpawnError(virsh, error)));
    child.on("close", (code, signal) => {
      const { ran, reason } = virshEnd(virsh, code, signal, errors);
      end(ran ? `"virsh ${this.command}" ended ${reason}` : reason);
    });
  }
}
