/**
 * The two event streams of one connection (domain events, network lifecycle events), parsed.
 * The test driver gets none: its events never leave the connection that caused them.
 */
import { isTestDriver } from "./connection-uri.js";
import { parseEventLine, type LibvirtEvent } from "./events.js";
import { EventStream, type Backoff } from "./event-stream.js";

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

/** Starts the streams; stop them with EventStream.stop(). */
export function startEventFeed(options: EventFeedOptions): EventStream[] {
  if (isTestDriver(options.uri)) return [];
  return COMMANDS.map(([kind, command]) => {
    let wasUp = false;
    const stream = new EventStream({
      virsh: options.virsh,
      uri: options.uri,
      command,
      backoff: options.backoff,
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
}
