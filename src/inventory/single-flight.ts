/**
 * Runs an async task on behalf of many callers: every caller waits for a run that starts after
 * it arrived (a guest whose lease appeared a moment ago must be looked for after that), callers
 * arriving together share one run, and runs start at least `intervalMs` apart, which bounds
 * the work unknown clients can cause. At most one run is in progress and one queued. A run
 * that fails is reported to `failed` (its callers only wait for it).
 */
export class SingleFlight {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private lastEnded = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly failed: (error: unknown) => void,
  ) {}

  run(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running && Date.now() - this.lastEnded >= this.intervalMs) return this.start();
    this.queued = this.startLater();
    return this.queued;
  }

  private async startLater(): Promise<void> {
    // Only the queued run may start one, so the run in progress is the last before it.
    if (this.running) await this.running;
    const wait = this.lastEnded + this.intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.queued = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    this.running = this.task()
      .catch((error: unknown) => this.failed(error))
      .finally(() => {
        this.lastEnded = Date.now();
        this.running = undefined;
      });
    return this.running;
  }
}
