import type { Logger } from "../../log/logger.js";

/** A source's faults, logged once as they appear and clear; degrading ones make it degraded. */
export class Faults {
  private readonly active = new Map<string, { message: string; degrading: boolean }>();

  constructor(private readonly log: Logger) {}

  /** Records a fault under `key`, logged only if that key was not already faulty; returns key. */
  raise(key: string, message: string, degrading = true): string {
    const known = this.active.get(key);
    this.active.set(key, { message, degrading: known?.degrading ?? degrading });
    if (known === undefined) this.log.warn({ fault: key, degrading }, message);
    return key;
  }

  /** Clears the fault under `key`, logging the recovery if there was one. */
  clear(key: string): void {
    const known = this.active.get(key);
    if (known === undefined) return;
    this.active.delete(key);
    this.log.info({ fault: key }, `recovered: ${known.message}`);
  }

  /** Clears every fault whose key starts with `prefix` and is not in `keep`. */
  clearAllBut(prefix: string, keep: ReadonlySet<string>): void {
    for (const key of [...this.active.keys()])
      if (key.startsWith(prefix) && !keep.has(key)) this.clear(key);
  }

  /** True while the fault under `key` lasts. */
  has(key: string): boolean {
    return this.active.has(key);
  }

  /** The degrading faults' messages, for health(); undefined when there are none. */
  problem(): string | undefined {
    const messages = [...this.active.values()].filter((f) => f.degrading).map((f) => f.message);
    return messages.length === 0 ? undefined : messages.join("; ");
  }
}
