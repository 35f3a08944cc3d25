/** An event line of `virsh [net-]event --loop`: event 'TYPE' for domain|network 'NAME': DETAIL */
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
  const [, type = "", object, name = "", detail = ""] = match;
  return { object: object as LibvirtEvent["object"], type, name, detail };
}

// Domain events that can change name, UUID, interfaces, networks or <metadata>.
const DOMAIN_REREAD = new Set(["device-added", "device-removed", "metadata-change"]);
// Lifecycle changes that add, remove, start or stop a domain (or network).
const LIFECYCLE_REREAD = new Set(["Defined", "Undefined", "Started", "Stopped"]);

/** True when an event may change what is served (not pauses, crashes, reboots, block jobs…). */
export function eventMatters(event: LibvirtEvent): boolean {
  if (event.type !== "lifecycle") return event.object === "domain" && DOMAIN_REREAD.has(event.type);
  return LIFECYCLE_REREAD.has(event.detail.split(" ")[0] ?? "");
}
