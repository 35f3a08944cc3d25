/**
 * A map that keeps only the most recently used `limit` entries. Per-guest renderings (EC2
 * trees, rendered parts) are kept in one of these rather than for every guest known: a host
 * with 10,000 domains would otherwise hold all their trees forever after one boot each, while
 * only the guests booting now need them fast. An evicted entry is simply built again.
 */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, V>();
  /** The key used last: asked again (one guest's requests in a row), it needs no reordering. */
  private newest: K | undefined;

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined && key !== this.newest) {
      // Map keeps insertion order: re-inserting makes this the newest.
      this.entries.delete(key);
      this.entries.set(key, value);
      this.newest = key;
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How many guests' renderings are kept (see RecentCache): a boot storm's worth. */
export const RECENT_GUESTS = 1000;

/** `build`, remembered for the RECENT_GUESTS keys used last. */
export function recentlyBuilt<K, V>(build: (key: K) => V): (key: K) => V {
  const cache = new RecentCache<K, V>(RECENT_GUESTS);
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = build(key);
      cache.set(key, value);
    }
    return value;
  };
}
