/**
 * One interactive virsh for a set-up command or check: every command of a run goes through
 * one connection. That matters beyond speed: on libvirt's test driver a change lasts only as
 * long as the connection, so a definition can only be verified from the session that made it;
 * once that virsh has failed, so does every later command of the run.
 *
 * guest-setup and network-setup change libvirt: a read-write session (the checks behind
 * `mdserver list` and the start-up log only read, through the server's own kind of session).
 */
import { virshArg } from "../inventory/libvirt/virsh-framing.js";
import {
  VirshSession,
  VirshSessionError,
  type VirshOptions,
} from "../inventory/libvirt/virsh-session.js";

/** virsh could not run a command: it failed (its errors), exited, or did not answer in time. */
export class VirshShellError extends Error {
  override readonly name = "VirshShellError";
}

/** One virsh process answering commands one after the other. */
export class VirshShell {
  private readonly session: VirshSession;
  private ended: string | undefined;

  constructor(options: VirshOptions) {
    this.session = new VirshSession({ ...options, readWrite: true });
  }

  /**
   * Runs `command`: it is sent at once (commands are pipelined) and answered after the ones
   * before it. Resolves with its output; rejects with its errors.
   */
  async run(command: string): Promise<string> {
    if (this.ended !== undefined) throw new VirshShellError(this.ended);
    const reply = await this.session.run(command).catch((error: unknown) => {
      if (!(error instanceof VirshSessionError)) throw error;
      throw new VirshShellError((this.ended ??= error.message));
    });
    if (reply.errors.length > 0) throw new VirshShellError(reply.errors.join("; "));
    return reply.output;
  }

  /** Ends virsh (it exits when its input ends; killed if it does not within a second). */
  close(): Promise<void> {
    return this.session.close();
  }
}

/** A name as one virsh argument; a name virsh cannot be given on one line is refused. */
export function quoted(name: string): string {
  const arg = virshArg(name);
  if (arg === undefined) throw new VirshShellError(`"${name}" cannot be passed to virsh`);
  return arg;
}
