/**
 * Where log lines go: a file or standard output, written asynchronously (pino's sonic-boom).
 * A logging failure must never take the server with it: when a write fails (disk full, file
 * removed with its directory, journald gone) the problem is reported once on stderr and lines
 * are dropped, instead of buffering without bound or blocking the exit in a flush that can
 * never finish. reopen() (SIGHUP, after logrotate) starts afresh.
 */
import { pino } from "pino";

type SonicBoom = ReturnType<typeof pino.destination>;

export class LogDestination {
  private boom: SonicBoom;
  private broken = false;
  /** Why lines are being dropped (for /healthz), until reopened. */
  failure: string | undefined;

  /** `target` is a file path, or 1 for standard output. */
  constructor(private readonly target: string | 1) {
    this.boom = this.open();
  }

  /** Writes one line (pino calls this); dropped while the destination is broken. */
  write(line: string): boolean {
    if (!this.broken) this.boom.write(line);
    return true;
  }

  /** Writes out what is buffered, if the destination works. */
  flush(callback?: (error?: Error) => void): void {
    if (this.broken) return callback?.();
    try {
      this.boom.flush(callback);
    } catch (error) {
      // Not open yet: nothing was written that could be flushed.
      callback?.(error instanceof Error ? error : undefined);
    }
  }

  /** Opens the file again (a no-op for standard output). */
  reopen(): void {
    if (this.target === 1) return;
    const old = this.boom;
    this.broken = false;
    this.failure = undefined;
    this.boom = this.open();
    old.end();
  }

  private open(): SonicBoom {
    const boom =
      this.target === 1
        ? pino.destination({ dest: 1, sync: false })
        : pino.destination({ dest: this.target, sync: false, mkdir: true });
    boom.on("error", (error: Error) => {
      if (this.broken || boom !== this.boom) return;
      this.broken = true;
      this.failure = `cannot write the log to ${this.target === 1 ? "standard output" : this.target}: ${error.message}`;
      process.stderr.write(
        `mdserver: ${this.failure}; log lines are dropped until it is reopened (SIGHUP)\n`,
      );
      boom.destroy();
    });
    return boom;
  }
}
