/**
 * One long-lived interactive `virsh -r -c URI` fed commands on stdin: a virsh per command costs
 * 13–60 ms, a session answers a dumpxml in well under a millisecond. Commands are pipelined,
 * replies come back in order (virsh-framing.ts). A virsh that exits, cannot start, does not
 * answer in time or is aborted is killed, every command sent to it fails at once, and the next
 * command starts another.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { spawnVirsh, stopVirsh } from "./spawn-virsh.js";
import { VirshFramer, type VirshReply } from "./virsh-framing.js";

/** The session could not answer (as opposed to the command reporting an error). */
export class VirshSessionError extends Error {
  override readonly name = "VirshSessionError";
}

/** How to start virsh, and how long one command may take. */
export interface VirshOptions {
  readonly virsh: string;
  readonly uri: string;
  readonly timeoutMs: number;
  /** For setup's commands (virsh-shell.ts); mdserver itself only reads libvirt. */
  readonly readWrite?: boolean;
}

interface Pending {
  readonly commands: readonly string[];
  resolve(replies: Array<VirshReply | undefined>): void;
  reject(error: Error): void;
}

/** One interactive virsh (see the module comment). */
export class VirshSession {
  private child: ChildProcessWithoutNullStreams | undefined;
  private framer = new VirshFramer("");
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: VirshOptions) {}

  /** Runs one command; resolves with its reply, errors included (see VirshSessionError). */
  async run(command: string): Promise<VirshReply> {
    return (await this.runAll([command]))[0]!;
  }

  /**
   * Runs commands as one, without markers between them (virsh spends as long on a marker as on
   * a dumpxml: its readline reads a byte per system call). Their errors cannot be told apart:
   * each of several that printed nothing (as a dumpxml that failed) is run again alone.
   */
  async runAll(commands: readonly string[]): Promise<VirshReply[]> {
    if (commands.length === 0) return [];
    if (this.closed) throw new VirshSessionError("session closed");
    const child = this.child ?? this.start();
    const replies = await new Promise<Array<VirshReply | undefined>>((resolve, reject) => {
      this.pending.push({ commands, resolve, reject });
      if (this.pending.length === 1) this.arm();
      child.stdin.write(this.framer.script(commands.join("\n")));
    });
    return Promise.all(replies.map((reply, i) => reply ?? this.run(commands[i]!)));
  }

  /** Kills virsh and fails what was sent to it. */
  abort(reason: string): void {
    this.fail(`virsh aborted: ${reason}`);
  }

  /** Ends virsh (politely, then by force) and fails whatever was still waiting. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    this.fail("session closed");
    if (child !== undefined) await stopVirsh(child);
  }

  private start(): ChildProcessWithoutNullStreams {
    const framer = (this.framer = new VirshFramer(`MDS${randomBytes(6).toString("hex")}`));
    const child = spawnVirsh(this.options, framer, "virsh exited", (why) => this.fail(why, child));
    for (const pipe of ["stdout", "stderr"] as const) {
      child[pipe].setEncoding("utf8").on("data", (chunk: string) => {
        if (child === this.child) this.drain(pipe, chunk);
      });
    }
    return (this.child = child);
  }

  private drain(pipe: "stdout" | "stderr", chunk: string): void {
    this.framer.push(pipe, chunk);
    const [head] = this.pending;
    let replies;
    while (this.pending[0] && (replies = this.framer.take(this.pending[0].commands))) {
      this.pending.shift()!.resolve(replies);
    }
    if (this.pending[0] !== head) this.arm();
  }

  /** (Re)starts the clock for the oldest command; the others wait behind it. */
  private arm(): void {
    clearTimeout(this.timer);
    const [first, ...more] = this.pending[0]?.commands ?? [];
    const { timeoutMs } = this.options;
    const and = more.length > 0 ? ` (and ${more.length} more)` : "";
    const error = `virsh did not answer "${first}"${and} within ${timeoutMs / 1000} s`;
    if (first !== undefined) this.timer = setTimeout(() => this.fail(error), timeoutMs);
  }

  /** Fails what was sent to `child` if it is the current virsh, and kills it unless closing. */
  private fail(message: string, child = this.child): void {
    if (child === undefined || child !== this.child) return;
    this.child = undefined;
    clearTimeout(this.timer);
    if (child.exitCode === null && !this.closed) child.kill("SIGKILL");
    const error = new VirshSessionError(message);
    for (const pending of this.pending.splice(0)) pending.reject(error);
  }
}
