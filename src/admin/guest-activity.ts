/**
 * What the guests last fetched, and the last errors, for the status page. Bounded: a record is
 * kept only for a guest the inventory knows (by UUID) and dropped when it goes (forget), and
 * the error list keeps the newest ERRORS_KEPT entries.
 */
import type { DocumentKind } from "./request-kind.js";

/** One fetch: when, what and with what status. */
export interface Fetch {
  /** ms since the epoch. */
  readonly at: number;
  readonly path: string;
  readonly status: number;
}

/** The last fetch of each document by one guest. */
export type GuestFetches = Partial<Record<DocumentKind, Fetch>>;

/** A request that failed, or a template that could not be rendered. */
export interface RecentError {
  readonly at: number;
  readonly instance?: string | undefined;
  readonly client: string;
  readonly path: string;
  readonly status: number;
  readonly message: string;
}

/** How many errors the status page lists. */
export const ERRORS_KEPT = 20;

export class GuestActivity {
  private readonly fetches = new Map<string, GuestFetches>();
  private readonly errors: RecentError[] = [];

  /** Records a fetch by the guest with this UUID (a guest the inventory knows). */
  fetched(uuid: string, kind: DocumentKind, fetch: Fetch): void {
    const record = this.fetches.get(uuid);
    if (record === undefined) this.fetches.set(uuid, { [kind]: fetch });
    else record[kind] = fetch;
  }

  /** Drops the records of every guest not in `known` (UUIDs): it has gone. */
  forget(known: ReadonlySet<string>): void {
    for (const uuid of this.fetches.keys()) if (!known.has(uuid)) this.fetches.delete(uuid);
  }

  /** What the guest with this UUID last fetched. */
  of(uuid: string): GuestFetches {
    return this.fetches.get(uuid) ?? {};
  }

  /** How many guests have records (for the tests of the bound). */
  get size(): number {
    return this.fetches.size;
  }

  failed(error: RecentError): void {
    this.errors.unshift(error);
    if (this.errors.length > ERRORS_KEPT) this.errors.length = ERRORS_KEPT;
  }

  /** The last errors, newest first. */
  recentErrors(): readonly RecentError[] {
    return this.errors;
  }
}
