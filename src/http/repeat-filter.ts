/**
 * Tells whether an error is new enough to log: the same failure (a broken template a guest
 * keeps asking for) is logged once a minute, not once per request, so one guest cannot flood
 * the log. Bounded: the memory of past messages is dropped when it grows large.
 */
const QUIET_MS = 60_000;
const REMEMBERED = 1000;

export class RepeatFilter {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when `error` was not reported in the last minute (and records that it is now). */
  first(error: unknown): boolean {
    const key = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const time = this.now();
    const last = this.seen.get(key);
    if (last !== undefined && time - last < QUIET_MS) return false;
    if (this.seen.size >= REMEMBERED) this.seen.clear();
    this.seen.set(key, time);
    return true;
  }
}
