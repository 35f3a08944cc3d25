/**
 * Where log lines go: a file (pino's sonic-boom, asynchronous) or standard output. Logging must
 * never hurt serving, so everything is bounded: at most MAX_BUFFERED bytes wait to be written
 * (a full disk, a slow journald, a pipe nobody reads), and lines over it are dropped and
 * counted; a write error is reported once on stderr, lines are dropped while it lasts, and the
 * destination is opened again every RETRY_MS (and on reopen(), SIGUSR1/SIGHUP after logrotate),
 * so logging resumes by itself when space returns. How many lines were lost is logged then.
 */
import sonicBoom, { type SonicBoom as SonicBoomClass } from "sonic-boom";

// A CommonJS module whose types declare a class as its default export; it exports the class.
const SonicBoom = sonicBoom as unknown as typeof SonicBoomClass;

/** Bytes of log lines waiting to be written, at most. */
export const MAX_BUFFERED = 1024 * 1024;
/** How often a broken destination is tried again. */
const RETRY_MS = 5000;
/** How often stderr is told that lines are dropped because too many wait (each episode is
 * also counted in the log itself, by a "log lines dropped" line). */
const FULL_REPORT_MS = 60_000;

/** What the destination writes to: a file's sonic-boom or standard output. */
interface Sink {
  /** False when the line was dropped (too much waiting). */
  write(line: string): boolean;
  /** Writes out what waits (files only); calls back at once when it cannot. */
  flush(callback: (error?: Error) => void): void;
  close(): void;
}

export class LogDestination {
  private sink: Sink;
  private broken = false;
  private brokenAt = 0;
  private dropped = 0;
  private reportedFullAt = -Infinity;
  /** Why lines are being dropped (for /healthz), until written again. */
  failure: string | undefined;

  /** `target` is a file path, or 1 for standard output. */
  constructor(private readonly target: string | 1) {
    this.sink = this.open();
  }

  /** Writes one line (pino calls this); dropped and counted while it cannot be written. */
  write(line: string): boolean {
    if (this.broken && Date.now() - this.brokenAt >= RETRY_MS) this.reopen();
    if (this.broken || !this.sink.write(line)) {
      this.dropped++;
      if (!this.broken && Date.now() - this.reportedFullAt >= FULL_REPORT_MS) {
        this.reportedFullAt = Date.now();
        this.complain("the log is not written fast enough; lines are dropped");
      }
    } else if (this.dropped > 0) {
      const dropped = this.dropped;
      this.dropped = 0;
      this.sink.write(
        `{"level":"warn","time":"${new Date().toISOString()}","pid":${process.pid},"dropped":${dropped},"msg":"log lines dropped"}\n`,
      );
    }
    return true;
  }

  /** Writes out what is buffered, if the destination works (never waits on a broken one). */
  flush(callback: (error?: Error) => void = () => {}): void {
    if (this.broken) return callback();
    this.sink.flush(callback);
  }

  /** Opens the file again (after logrotate, or after an error); never throws. */
  reopen(): void {
    const old = this.sink;
    this.broken = false;
    this.reportedFullAt = -Infinity;
    this.failure = undefined;
    try {
      this.sink = this.open();
    } catch (error) {
      this.fail(error);
      return;
    }
    old.close();
  }

  private open(): Sink {
    return this.target === 1 ? this.stdout() : this.file(this.target);
  }

  private file(path: string): Sink {
    // Not pino.destination(): it also flushes synchronously at exit, retrying a failing write
    // (ENOSPC) forever, which kept a server whose disk was full from ever stopping.
    const boom = new SonicBoom({
      dest: path,
      sync: false,
      mkdir: true,
      maxLength: MAX_BUFFERED,
      // Not a larger maxWrite (16 KB written per turn of the event loop), though a boot storm
      // queues lines faster than that and some are dropped: sonic-boom measures the bytes of
      // its whole pending chunk on every line, so 1 MB chunks made writing quadratic (20,000
      // lines in bursts of 2,000: 12.6 s of the event loop instead of 0.13 s).
    });
    let dropped = false;
    boom.on("drop", () => (dropped = true));
    boom.on("error", (error: Error) => {
      if (this.sink === sink) this.fail(error);
    });
    const sink: Sink = {
      write: (line) => {
        dropped = false;
        boom.write(line);
        return !dropped;
      },
      flush: (callback) => {
        try {
          boom.flush(callback);
        } catch (error) {
          // Not open yet: nothing was written that could be flushed.
          callback(error instanceof Error ? error : undefined);
        }
      },
      close: () => {
        try {
          boom.end();
        } catch {
          // Not open yet, or already broken ("SonicBoom destroyed", which SIGHUP after a write
          // error used to turn into an exit): let it go without writing what waits.
          boom.destroy();
        }
      },
    };
    return sink;
  }

  private stdout(): Sink {
    // A pipe is written without blocking a thread (libuv polls it), so a reader that stops
    // reading cannot hold the exit; what waits is capped here.
    const out = process.stdout;
    const onError = (error: Error) => this.fail(error);
    out.on("error", onError);
    return {
      write: (line) => {
        if (out.writableLength > MAX_BUFFERED) return false;
        out.write(line);
        return true;
      },
      flush: (callback) => callback(),
      close: () => out.off("error", onError),
    };
  }

  private fail(error: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.sink.close();
    this.brokenAt = Date.now();
    const message = error instanceof Error ? error.message : String(error);
    this.failure = `cannot write the log to ${this.where()}: ${message}`;
    this.complain(
      `${message}; lines are dropped until it can be written again (retried every ${RETRY_MS / 1000} s, and on SIGUSR1 or SIGHUP)`,
    );
  }

  private complain(problem: string): void {
    process.stderr.write(`mdserver: cannot write the log to ${this.where()}: ${problem}\n`);
  }

  private where(): string {
    return this.target === 1 ? "standard output" : this.target;
  }
}
