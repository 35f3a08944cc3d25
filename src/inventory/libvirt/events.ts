/** The lines `virsh event --loop` and `virsh net-event --loop` print, and what they mean here. */

/** One event as virsh prints it: event 'TYPE' for domain|network 'NAME': DETAIL */
export interface LibvirtEvent {
  readonly object: "domain" | "network";
  readonly type: string;
  readonly name: string;
  readonly detail: string;
}

const EVENT = /^event '([^']+)' for (domain|network) '(.*)'(?::\s*(.*))?$/;

/** Parses one line; undefined for anything else (prompts, blank lines, "events received"). */
export function parseEventLine(line: string): LibvirtEvent | undefined {
  const match = EVENT.exec(line.trim());
  if (!match) return undefined;
  const [, type, object, name, detail] = match;
  return {
    object: object as LibvirtEvent["object"],
    type: type!,
    name: name!,
    detail: detail ?? "",
  };
}

/** What an event asks of the source. */
export type EventAction =
  /** Forget it now, before it is read again: an undefined domain or network. */
  | "drop"
  /** Stop serving its addresses now (a stopped guest is not the one asking), then re-read. */
  | "deactivate"
  /** Read it again: something that decides its identity may have changed. */
  | "reread"
  /** Nothing that mdserver serves changed (reboots, balloon, block jobs…). */
  | "ignore";

// Domain events that can change name, UUID, interfaces, networks or <metadata>.
const DOMAIN_REREAD = new Set(["device-added", "device-removed", "metadata-change"]);

/** Decides what to do about an event. */
export function eventAction(event: LibvirtEvent): EventAction {
  const first = event.detail.split(" ")[0];
  if (event.type !== "lifecycle") return DOMAIN_REREAD.has(event.type) ? "reread" : "ignore";
  switch (first) {
    case "Undefined":
      return "drop";
    case "Stopped":
      return "deactivate";
    case "Defined":
    case "Started":
      return "reread";
    default:
      // Suspended, Resumed, Shutdown, PMSuspended, Crashed: the domain stays as it is.
      return "ignore";
  }
}
