/**
 * Keeps one client's repeated log lines from flooding the log: each key (a client address)
 * may write `burst` lines at once and `rate` a second after that; lines over it are dropped
 * and counted, and the count is handed to the next line let through for that key, so the log
 * still says how much happened. Bounded like RateLimit.
 */
import { RateLimit } from "../http/rate-limit.js";

const REMEMBERED = 10_000;

export class Sampler {
  private readonly limit: RateLimit;
  private readonly dropped = new Map<string, number>();

  constructor(rate: number, burst: number, now: () => number = Date.now) {
    this.limit = new RateLimit(rate, burst, now);
  }

  /** undefined: drop this line; otherwise write it, with the number dropped before it. */
  admit(key: string): number | undefined {
    if (this.limit.take(key) === 0) {
      const count = this.dropped.get(key) ?? 0;
      if (count > 0) this.dropped.delete(key);
      return count;
    }
    if (this.dropped.size >= REMEMBERED && !this.dropped.has(key)) this.dropped.clear();
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
    return undefined;
  }

  /** The counts not yet handed to a line, cleared (for a summary line). */
  takeDropped(): Map<string, number> {
    const counts = new Map(this.dropped);
    this.dropped.clear();
    return counts;
  }
}
