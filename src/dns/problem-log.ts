/**
 * The DNS manager's current problems: each logged once when it appears and once when it goes,
 * however many syncs meet it in between; the degrading ones make up its health.
 */
import type { SourceHealth } from "../inventory/source.js";
import type { Logger } from "../log/logger.js";
import type { DnsProblem, DnsProblems } from "./dns-backend.js";

export class ProblemLog {
  private active = new Map<string, DnsProblem>();
  private lastSuccess: number | undefined;

  constructor(private readonly log: Logger) {}

  /** Replaces the problems with those of the latest sync (see the module comment). */
  update(now: DnsProblems): void {
    for (const [key, problem] of now) {
      if (this.active.has(key)) continue;
      this.log.warn({ dns: key, degrading: problem.degrading }, problem.message);
    }
    for (const [key, problem] of this.active) {
      if (!now.has(key) && problem.degrading) {
        this.log.info({ dns: key }, `recovered: ${problem.message}`);
      }
    }
    this.active = new Map(now);
    if (!this.degrading().length) this.lastSuccess = Date.now();
  }

  /** Whether DNS says what the inventory says, and if not, why. */
  health(): SourceHealth {
    const problems = this.degrading();
    return problems.length === 0
      ? { ok: true, lastSuccess: this.lastSuccess }
      : { ok: false, problem: problems.join("; "), lastSuccess: this.lastSuccess };
  }

  private degrading(): string[] {
    return [...this.active.values()].filter((p) => p.degrading).map((p) => p.message);
  }
}
