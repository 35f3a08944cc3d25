/** How the status page and `mdserver status` write times, fetches and boot reports. */
import type { Fetch } from "./guest-activity.js";
import type { BootSummary, GuestStatus } from "./status-report.js";

/** "2024-05-01 12:00:03 UTC": unambiguous wherever the reader sits. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "4 s ago", "3 min ago", "2 h ago", "5 d ago". */
export function ago(ms: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** A last fetch: "200, 3 min ago", or "never". */
export function fetchText(fetch: Fetch | undefined, now: number): string {
  return fetch === undefined ? "never" : `${fetch.status}, ${ago(fetch.at, now)}`;
}

/** A boot report: "cloud-init finished at …", "no report yet", or "—" when none are kept. */
export function bootText(boot: BootSummary | null | undefined): string {
  if (boot === undefined) return "—";
  if (boot === null) return "no report yet";
  return `cloud-init finished at ${formatTime(boot.finishedAt)}`;
}

/** Whether a fetch went well: "ok", "error" (5xx), "refused" (4xx) or "never". */
export function fetchState(fetch: Fetch | undefined): "ok" | "error" | "refused" | "never" {
  if (fetch === undefined) return "never";
  if (fetch.status >= 500) return "error";
  return fetch.status >= 400 ? "refused" : "ok";
}

/** The addresses and MACs cells, comma-separated ("-" for none). */
export function listText(items: GuestStatus["addresses"]): string {
  return items.length === 0 ? "-" : items.join(", ");
}
