/**
 * Clients that showed they are hostile, refused for a while. A client that pipelines more
 * requests than a connection may hold (one-at-a-time.ts) has that connection closed, but
 * node:http has by then parsed its whole read (~1,300 tiny requests in 64 KB, milliseconds of
 * work), and such a client simply reconnects: every other guest then waits behind its reads.
 * No real client does that (cloud-init and the AWS SDK send one request at a time), so for
 * `ms` after it the client's new connections are closed on arrival, before any of their
 * bytes are read. Bounded: expired entries go when many clients have been penalised.
 */
const REMEMBERED = 10_000;

export class Penalties {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ms: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** `client` is refused for the next `ms`. */
  impose(client: string): void {
    if (this.until.size >= REMEMBERED) this.forgetExpired();
    this.until.set(client, this.now() + this.ms);
  }

  /** Whether `client` is refused now. */
  has(client: string): boolean {
    const until = this.until.get(client);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    this.until.delete(client);
    return false;
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [client, until] of this.until) if (until <= now) this.until.delete(client);
    // Every one still serving its time: forget them all rather than grow.
    if (this.until.size >= REMEMBERED) this.until.clear();
  }
}
