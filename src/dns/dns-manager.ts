/**
 * Keeps DNS saying what the inventory says. The inventory's change listener only stores the
 * latest instances and marks them dirty; one loop (the only writer) turns the latest view into
 * records and syncs the backend, then runs again if anything changed meanwhile. So a burst of
 * changes costs one or two syncs, a slow write never holds up the inventory or a request,
 * and an older view can never overwrite a newer one. A sync that met a fault is retried on
 * the next change, and after `retryMs` if no change comes.
 */
import type { Instance } from "../inventory/instance.js";
import type { InventoryListener } from "../inventory/inventory.js";
import type { SourceHealth } from "../inventory/source.js";
import type { Logger } from "../log/logger.js";
import { messageOf, type DnsBackend, type DnsProblems } from "./dns-backend.js";
import { dnsRecords, type Serves } from "./dns-records.js";
import type { Naming } from "./host-names.js";
import { ProblemLog } from "./problem-log.js";

/** How long a failed sync waits for a change before it is tried again anyway. */
const RETRY_MS = 30_000;

export class DnsManager {
  private latest: readonly Instance[] | undefined;
  private dirty = false;
  private running: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly problems: ProblemLog;

  /** Give this to `inventory.onChange`. */
  readonly listener: InventoryListener = (instances) => {
    this.latest = instances;
    this.kick();
  };

  constructor(
    private readonly backend: DnsBackend,
    private readonly naming: Naming,
    log: Logger,
    /** Which addresses the inventory serves to whom (see dnsRecords). */
    private readonly serves?: Serves,
    private readonly retryMs = RETRY_MS,
  ) {
    this.problems = new ProblemLog(log);
  }

  /** Whether DNS is current; `problem` says why not. Same shape as a source's health. */
  health(): SourceHealth {
    return this.problems.health();
  }

  /** Resolves once every change received so far has been synced (or has failed). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops after the sync under way, if any (a half-done write would be undone by nothing). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.idle();
  }

  private kick(): void {
    this.dirty = true;
    clearTimeout(this.retry);
    // The loop starts on the next tick, so `running` is always set before it can end.
    this.running ??= Promise.resolve().then(() => this.loop());
  }

  private async loop(): Promise<void> {
    try {
      while (this.dirty && !this.stopped && this.latest !== undefined) {
        this.dirty = false;
        await this.syncOnce(this.latest);
      }
    } finally {
      // Set before anything else can run: a change arriving now starts a new loop.
      this.running = undefined;
    }
  }

  private async syncOnce(instances: readonly Instance[]): Promise<void> {
    const { records, notes } = dnsRecords(instances, this.naming, this.serves);
    let problems: DnsProblems;
    try {
      problems = await this.backend.sync(records);
    } catch (error) {
      // Backends report their failures; anything else is a bug, still not worth a crash.
      problems = new Map([["dns: error", { message: messageOf(error), degrading: true }]]);
    }
    for (const note of notes) problems.set(note.key, { message: note.message, degrading: false });
    this.problems.update(problems);
    if (!this.health().ok && !this.stopped) {
      this.retry = setTimeout(() => this.kick(), this.retryMs);
      this.retry.unref();
    }
  }
}
