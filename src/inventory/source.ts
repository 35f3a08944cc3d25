/** What the inventory needs from a place that knows instances (libvirt, the config file). */
import type { Identity } from "./instance.js";

/** How a source is doing, for `mdserver list`, logs and the health endpoint. */
export interface SourceHealth {
  readonly ok: boolean;
  /** Why not, when not ok. */
  readonly problem?: string | undefined;
  /** When the source last had a complete, current view (ms since the epoch). */
  readonly lastSuccess?: number | undefined;
}

/** Receives a source's complete current view; the inventory implements it. */
export interface InventorySink {
  /** Replaces everything this source said before with `identities`. */
  publish(sourceId: string, identities: Iterable<Identity>): void;
}

/** A place instances come from. */
export interface InstanceSource {
  /** Unique among the running sources, e.g. "static" or "libvirt qemu:///system". */
  readonly id: string;
  /** Loads the first view and keeps the sink current until stop(). Resolves once loaded (or failed). */
  start(sink: InventorySink): Promise<void>;
  /** Stops background work and child processes. */
  stop(): Promise<void>;
  /**
   * Called when unknown clients ask (from `addresses`, some of them at least); resolves when
   * the source has looked again.
   */
  refresh?(addresses: readonly string[]): Promise<void>;
  health(): SourceHealth;
}
