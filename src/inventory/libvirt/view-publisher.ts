/**
 * Publishes one connection's whole view (libvirt-view.ts) to the inventory: at once after a
 * bulk read (whoever waits for it looks right after), soon after events, and again when the
 * next lease ends. Guests about which nothing changed keep their objects (stable-identities.ts),
 * and a view the same as the last is not published again. Addresses two domains claim are
 * reported once each.
 */
import type { Identity } from "../instance.js";
import type { InventorySink } from "../source.js";
import type { DomainInfo } from "./domain-xml.js";
import type { Faults } from "./faults.js";
import { buildView } from "./libvirt-view.js";
import type { NetworkState } from "./network-state.js";
import type { NamedTimers } from "./named-timers.js";
import { keepUnchanged, sameIdentities } from "./stable-identities.js";

/**
 * Least time between two publications caused by events. Building the view is linear in the
 * domains (~20 ms for 10,000): a burst of events (a host shutting down its guests) must not
 * rebuild it for each one. The first change of a burst goes out at once.
 */
const PUBLISH_GAP_MS = 50;

/** What libvirt looks like, as the source last read it. */
export interface LibvirtState {
  readonly networks: ReadonlyMap<string, NetworkState>;
  readonly domains: Iterable<DomainInfo>;
}

/** Where the view comes from and goes. */
export interface ViewPublisherOptions {
  /** The source's id, Instance.source of what it serves. */
  readonly source: string;
  readonly faults: Faults;
  readonly timers: NamedTimers;
  /** Publish again when a lease ends (off for a one-shot look). */
  readonly watch: boolean;
  state(): LibvirtState;
}

/** Publishes the view (see the module comment). */
export class ViewPublisher {
  private sink: InventorySink | undefined;
  private queued = false;
  private last = Number.NEGATIVE_INFINITY;
  /** What was published last; undefined before the first publication. */
  private published: readonly Identity[] | undefined;

  constructor(private readonly options: ViewPublisherOptions) {}

  /** Starts publishing to `sink`; undefined stops. */
  attach(sink: InventorySink | undefined): void {
    this.sink = sink;
  }

  /**
   * Publishes after the events in hand are applied (a microtask: before any other I/O, such
   * as a request, is handled), or PUBLISH_GAP_MS after the last publication.
   */
  publishSoon(): void {
    if (this.queued) return;
    this.queued = true;
    const wait = this.last + PUBLISH_GAP_MS - Date.now();
    if (wait <= 0) queueMicrotask(() => this.flush());
    else this.options.timers.set("publish", wait, () => this.flush());
  }

  /** Publishes now what publishSoon() was to publish later, if anything. */
  flush(): void {
    if (this.queued) this.publish();
  }

  /** Publishes the view now (and with it whatever publishSoon() was to publish). */
  publish(): void {
    this.queued = false;
    if (this.sink === undefined) return;
    const { source, faults, timers, watch } = this.options;
    const now = Date.now();
    this.last = now;
    const view = buildView({ source, ...this.options.state(), now });
    const conflicts = new Set<string>();
    for (const { address, claimants } of view.conflicts) {
      conflicts.add(`conflict:${address}`);
      faults.raise(
        `conflict:${address}`,
        `${address} is claimed by ${claimants.join(" and ")}; serving none of them`,
        false,
      );
    }
    faults.clearAllBut("conflict:", conflicts);
    const identities = keepUnchanged(this.published ?? [], view.identities);
    if (this.published === undefined || !sameIdentities(this.published, identities)) {
      this.published = identities;
      this.sink.publish(source, identities);
    }
    // The index already refuses an expired lease; publishing again tells listeners (DNS) too.
    let next = Infinity;
    for (const { expiresAt } of identities)
      if (expiresAt !== undefined && expiresAt < next) next = expiresAt;
    if (watch && next !== Infinity) timers.set("expiry", next - now + 1, () => this.publish());
  }
}
