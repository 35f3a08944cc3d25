/**
 * Runs bulk reads one after another. A full load and a reconcile running side by side could
 * apply their answers in the wrong order (the older listing last); one after the other, the
 * later one always starts from what the earlier one left. A task asked for while an identical
 * one is still waiting joins it instead of queueing again.
 */
export class SerialTasks {
  private tail: Promise<void> = Promise.resolve();
  private readonly waiting = new Map<string, Promise<void>>();

  /** Runs `task` after everything queued before it; never rejects (tasks handle their errors). */
  run(key: string, task: () => Promise<void>): Promise<void> {
    const queued = this.waiting.get(key);
    if (queued !== undefined) return queued;
    const run = this.tail.then(() => {
      this.waiting.delete(key);
      return task();
    });
    const settled = run.catch(() => undefined);
    this.waiting.set(key, settled);
    this.tail = settled;
    return settled;
  }
}
