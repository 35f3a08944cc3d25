/**
 * One interactive virsh for a set-up command or check: every command of a run goes through
 * one connection. That matters beyond speed: on libvirt's test driver a change lasts only as
 * long as the connection, so a definition can only be verified from the session that made it.
 *
 * guest-setup and network-setup change libvirt: a read-write connection (the checks behind
 * `mdserver list` and the start-up log only read, through the server's own kind of session).
 * Commands run one at a time; the replies are cut by VirshFramer.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { spawnVirsh, stopVirsh } from "../inventory/libvirt/spawn-virsh.js";
import { virshArg, VirshFramer } from "../inventory/libvirt/virsh-framing.js";

/** How to start virsh. */
export interface VirshShellOptions {
  readonly virsh: string;
  readonly uri: string;
  readonly timeoutMs: number;
}

/** virsh could not run a command: it failed (its errors), exited, or did not answer in time. */
export class VirshShellError extends Error {
  override readonly name = "VirshShellError";
}

/** One virsh process answering commands one after the other. */
export class VirshShell {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly framer = new VirshFramer(`MDSETUP${randomBytes(6).toString("hex")}`);
  private seq = 0;
  private ended: string | undefined;
  private wake: (() => void) | undefined;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: VirshShellOptions) {
    this.child = spawnVirsh({ ...options, readWrite: true }, this.framer, (ran, reason) =>
      this.end(ran ? `virsh exited ${reason}` : reason),
    );
    for (const pipe of ["stdout", "stderr"] as const) {
      this.child[pipe].setEncoding("utf8");
      this.child[pipe].on("data", (chunk: string) =>
        this.push(() => this.framer.push(pipe, chunk)),
      );
    }
  }

  /**
   * Runs `command`: it is sent at once (commands are pipelined) and answered after the ones
   * before it. Resolves with its output; rejects with its errors.
   */
  run(command: string): Promise<string> {
    const seq = ++this.seq;
    if (this.ended === undefined) this.child.stdin.write(this.framer.script(seq, command));
    const result = this.busy.then(() => this.reply(seq, command));
    this.busy = result.catch(() => undefined);
    return result;
  }

  /** Ends virsh (it exits when its input ends; killed if it does not within a second). */
  async close(): Promise<void> {
    await stopVirsh(this.child);
  }

  /** Waits for the reply to command `seq`, once the replies before it have been taken. */
  private async reply(seq: number, command: string): Promise<string> {
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      const [reply] = this.framer.take(seq, [command]) ?? [];
      if (reply !== undefined) {
        if (reply.errors.length > 0) throw new VirshShellError(reply.errors.join("; "));
        return reply.output;
      }
      if (this.ended !== undefined) throw new VirshShellError(this.ended);
      const left = deadline - Date.now();
      if (left <= 0) {
        this.child.kill("SIGKILL");
        throw new VirshShellError(`virsh did not answer "${command}" in time`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private push(add: () => void): void {
    add();
    this.wake?.();
    this.wake = undefined;
  }

  private end(reason: string): void {
    this.ended ??= reason;
    this.wake?.();
    this.wake = undefined;
  }
}

/** A name as one virsh argument; a name virsh cannot be given on one line is refused. */
export function quoted(name: string): string {
  const arg = virshArg(name);
  if (arg === undefined) throw new VirshShellError(`"${name}" cannot be passed to virsh`);
  return arg;
}
