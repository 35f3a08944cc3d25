/**
 * A token bucket per client address: each request takes a token, tokens come back at `rate`
 * per second up to `burst`. Bounded: buckets that are full again (an idle client) are dropped
 * when many addresses have been seen, so strangers cycling addresses cannot grow it.
 */
const REMEMBERED = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimit {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes a token for `client`: 0 when the request may go ahead, otherwise the whole seconds
   * to wait before asking again (for Retry-After).
   */
  take(client: string): number {
    if (this.rate <= 0) return 0;
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (bucket === undefined) {
      if (this.buckets.size >= REMEMBERED) this.forgetIdle(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.rate) / 1000);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }

  private forgetIdle(now: number): void {
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) * this.rate) / 1000 >= this.burst) {
        this.buckets.delete(client);
      }
    }
    // Every client is busy: forget them all rather than grow.
    if (this.buckets.size >= REMEMBERED) this.buckets.clear();
  }
}
