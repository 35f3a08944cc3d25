/**
 * Whether one connection's libvirt can be reached, and the retries while it cannot: the fault
 * is logged once, health says degraded, and a full load is retried with backoff until one
 * succeeds. An unknown client asking brings the next try forward, but only once between two
 * tries the backoff scheduled: every request doing so would undo the backoff, and each try
 * starts virsh processes.
 */
import type { Backoff } from "./event-stream.js";
import { errorText } from "./libvirt-reader.js";
import type { Faults } from "./faults.js";
import type { NamedTimers } from "./named-timers.js";

/**
 * Retries (and event-stream restarts) while libvirt is away: 0.5 s doubling to 5 s. One failed
 * try costs a virsh start (tens of ms), so guests wait at most ~5 s after libvirt returns.
 */
export const RETRY_BACKOFF: Backoff = { initialMs: 500, maxMs: 5000 };

/** What to retry, and where to report. */
export interface ConnectionRetryOptions {
  readonly uri: string;
  readonly faults: Faults;
  readonly timers: NamedTimers;
  readonly backoff: Backoff;
  /** Retry at all (off for a one-shot look). */
  readonly enabled: boolean;
  /** The full load to try again. */
  retry(): void;
  stopped(): boolean;
}

/** The connection's state and its retries (see the module comment). */
export class ConnectionRetry {
  /** When a full load last succeeded (ms since the epoch). */
  lastSuccess: number | undefined;
  private delay: number;
  /** A try was brought forward since the last scheduled one ran. */
  private hurried = false;

  constructor(private readonly options: ConnectionRetryOptions) {
    this.delay = options.backoff.initialMs;
  }

  /** True while libvirt could not be reached at the last try. */
  get down(): boolean {
    return this.options.faults.has("connection");
  }

  /** A full load worked: libvirt is back, the backoff starts over. */
  succeeded(): void {
    this.options.faults.clear("connection");
    this.lastSuccess = Date.now();
    this.delay = this.options.backoff.initialMs;
    this.hurried = false;
  }

  /** libvirt could not be reached: report it (once) and try again after the backoff. */
  failed(error: unknown): void {
    const { faults, timers, uri, enabled, backoff } = this.options;
    if (this.options.stopped()) return;
    faults.raise("connection", `cannot read libvirt at ${uri}: ${errorText(error)}`);
    if (!enabled || timers.has("retry")) return;
    timers.set("retry", this.delay, () => {
      this.hurried = false;
      this.options.retry();
    });
    this.delay = Math.min(this.delay * 2, backoff.maxMs);
  }

  /**
   * Someone is waiting for libvirt (an unknown client asked): try again now, unless a try was
   * brought forward already since the backoff's last one.
   */
  hurry(): void {
    const { timers } = this.options;
    if (this.hurried || !timers.has("retry")) return;
    this.hurried = true;
    timers.set("retry", 0, () => this.options.retry());
  }
}
