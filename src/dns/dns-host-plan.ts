/**
 * What to change in one libvirt network's DNS entries, given what mdserver added before
 * (tracked), what it should say now (desired) and what the network holds (current). Pure.
 *
 * Only tracked entries are ever removed, and only when the network still holds exactly that
 * entry; entries of others are never touched. A desired entry that clashes with one of
 * theirs (same address or a shared name: libvirt would refuse it) is not added but reported.
 * A desired entry the network already holds, not added by mdserver, is left as it is and not
 * adopted (it may be the administrator's, and must outlive the guest).
 */
import { entriesClash, sameEntry, type HostEntry } from "./dns-host-xml.js";

/** The changes for one network. */
export interface DnsHostPlan {
  /** Tracked entries the network holds and that are no longer wanted. */
  readonly remove: readonly HostEntry[];
  /** Wanted entries to add (tracked ones the network lost included). */
  readonly add: readonly HostEntry[];
  /** Tracked entries that stay as they are. */
  readonly keep: readonly HostEntry[];
  /** Wanted entries left out, each with the entry it clashes with. */
  readonly clashes: ReadonlyArray<{ readonly entry: HostEntry; readonly with: HostEntry }>;
}

const has = (list: readonly HostEntry[], entry: HostEntry) => list.some((e) => sameEntry(e, entry));

/** Plans the changes (see the module comment). */
export function planDnsHosts(
  tracked: readonly HostEntry[],
  desired: readonly HostEntry[],
  current: readonly HostEntry[],
): DnsHostPlan {
  const remove = tracked.filter((t) => !has(desired, t) && has(current, t));
  const keep = tracked.filter((t) => has(desired, t) && has(current, t));
  const remaining = current.filter((c) => !has(remove, c));
  const add: HostEntry[] = [];
  const clashes: Array<{ entry: HostEntry; with: HostEntry }> = [];
  for (const entry of desired) {
    if (has(keep, entry)) continue;
    // Someone else's identical entry already says it: nothing to add, nothing to own.
    if (!has(tracked, entry) && has(remaining, entry)) continue;
    const other = [...remaining, ...add].find((e) => entriesClash(entry, e));
    if (other === undefined) add.push(entry);
    else clashes.push({ entry, with: other });
  }
  return { remove, add, keep, clashes };
}
