/**
 * One long-lived interactive `virsh -c URI` fed commands on stdin. A virsh process per call
 * costs 13–60 ms (start-up and connection); a session answers a dumpxml in well under a
 * millisecond, and commands are pipelined: all are written at once, replies come back in
 * order (see virsh-framing.ts).
 *
 * The connection is read-only (-r): mdserver only reads libvirt, and a read-only connection
 * cannot change it even if a command were built wrongly.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { spawnVirsh, virshEnd, virshSpawnError } from "./spawn-virsh.js";
import { VirshFramer, type VirshReply } from "./virsh-framing.js";

/** How a session failed to answer: the command itself may be fine. */
export type VirshFailure = "spawn" | "exited" | "timeout" | "closed";

/** The session could not answer (as opposed to the command reporting an error). */
export class VirshSessionError extends Error {
  override readonly name = "VirshSessionError";
  constructor(
    readonly failure: VirshFailure,
    message: string,
  ) {
    super(message);
  }
}

/** How to start virsh. */
export interface VirshOptions {
  readonly virsh: string;
  readonly uri: string;
  /** How long one command may take before the session is killed and its commands fail. */
  readonly timeoutMs: number;
}

interface Pending {
  readonly seq: number;
  readonly command: string;
  readonly resolve: (reply: VirshReply) => void;
  readonly reject: (error: Error) => void;
}

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly framer: VirshFramer;
}

/**
 * One interactive virsh, restarted on the next command after it failed. A failure (or abort())
 * kills that virsh and fails every command sent to it at once: nothing waits behind a dead one.
 */
export class VirshSession {
  private running: Running | undefined;
  private pending: Pending[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: VirshOptions) {}

  /**
   * Runs one command (starting virsh first if needed). Resolves with its reply, errors
   * included; rejects with VirshSessionError when virsh cannot be started, exits, or times out.
   */
  run(command: string): Promise<VirshReply> {
    if (this.closed) return Promise.reject(new VirshSessionError("closed", "session closed"));
    const running = this.running ?? this.start();
    const seq = ++this.seq;
    return new Promise<VirshReply>((resolve, reject) => {
      this.pending.push({ seq, command, resolve, reject });
      if (this.pending.length === 1) this.arm();
      running.child.stdin.write(running.framer.script(seq, command));
    });
  }

  /** Kills virsh and fails what was sent to it; the next command starts another. */
  abort(reason: string): void {
    this.fail(this.running, new VirshSessionError("exited", `virsh aborted: ${reason}`));
  }

  /** Ends virsh (politely, then by force) and fails whatever was still queued. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    this.fail(running, new VirshSessionError("closed", "session closed"));
    if (running === undefined || running.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => running.child.kill("SIGKILL"), 1000);
      running.child.once("close", () => {
        clearTimeout(force);
        resolve();
      });
      running.child.stdin.end();
    });
  }

  private start(): Running {
    const { virsh, uri } = this.options;
    const child = spawnVirsh(virsh, uri);
    const running: Running = {
      child,
      framer: new VirshFramer(`MDS${randomBytes(6).toString("hex")}`),
    };
    this.running = running;
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      running.framer.pushStdout(chunk);
      this.drain(running);
    });
    child.stderr.on("data", (chunk: string) => {
      running.framer.pushStderr(chunk);
      this.drain(running);
    });
    // A write after virsh died fails with EPIPE; the exit is handled below.
    child.stdin.on("error", () => {});
    child.on("error", (error) =>
      this.fail(running, new VirshSessionError("spawn", virshSpawnError(virsh, error))),
    );
    child.on("close", (code, signal) => {
      const end = virshEnd(virsh, code, signal, running.framer.pendingErrors());
      this.fail(
        running,
        end.ran
          ? new VirshSessionError("exited", `virsh exited ${end.reason}`)
          : new VirshSessionError("spawn", end.reason),
      );
    });
    return running;
  }

  private drain(running: Running): void {
    if (running !== this.running) return;
    let answered = false;
    for (let head = this.pending[0]; head !== undefined; head = this.pending[0]) {
      const reply = running.framer.take(head.seq, head.command);
      if (reply === undefined) break;
      this.pending.shift();
      head.resolve(reply);
      answered = true;
    }
    if (answered) this.arm();
  }

  /** (Re)starts the clock for the oldest command; the others wait behind it. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const head = this.pending[0];
    if (head === undefined) return;
    this.timer = setTimeout(() => {
      this.fail(
        this.running,
        new VirshSessionError(
          "timeout",
          `virsh did not answer "${head.command}" within ${this.options.timeoutMs / 1000} s`,
        ),
      );
    }, this.options.timeoutMs);
  }

  private fail(running: Running | undefined, error: VirshSessionError): void {
    if (running === undefined || running !== this.running) return;
    this.running = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (running.child.exitCode === null && error.failure !== "closed")
      running.child.kill("SIGKILL");
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(error);
  }
}
