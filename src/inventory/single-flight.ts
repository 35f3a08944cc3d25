/**
 * Runs an async task for many callers at once: callers arriving while it runs share that run;
 * a caller arriving less than `intervalMs` after the last run ended gets no new run (it
 * resolves at once), which bounds the work unknown clients can cause.
 */
export class SingleFlight {
  private running: Promise<void> | undefined;
  private lastEnded = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
  ) {}

  run(): Promise<void> {
    if (this.running) return this.running;
    if (Date.now() - this.lastEnded < this.intervalMs) return Promise.resolve();
    this.running = this.task()
      .catch(() => undefined)
      .finally(() => {
        this.lastEnded = Date.now();
        this.running = undefined;
      });
    return this.running;
  }
}
