/**
 * One-shot timers by name for a component that stops: setting a name again replaces its
 * timer, and after stop() nothing runs. Timers do not keep the process alive (the server's
 * sockets and children do).
 */

/** Longest a timer can wait in Node. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Named one-shot timers (see the module comment). */
export class NamedTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  /** (Re)sets the timer `name` to run `action` in `ms` (clamped to what Node can wait). */
  set(name: string, ms: number, action: () => void): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(name));
    const timer = setTimeout(
      () => {
        this.timers.delete(name);
        if (!this.stopped) action();
      },
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
    timer.unref();
    this.timers.set(name, timer);
  }

  /** Runs `action` every `ms` until stopped. */
  every(name: string, ms: number, action: () => void): void {
    this.set(name, ms, () => {
      action();
      this.every(name, ms, action);
    });
  }

  /** True while the timer `name` is waiting. */
  has(name: string): boolean {
    return this.timers.has(name);
  }

  /** Clears every timer; none is set or run afterwards. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
