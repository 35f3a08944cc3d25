/**
 * A few virsh sessions on one URI, so a large load (a dumpxml per domain) can use more than
 * one core: virsh itself formats and prints every reply.
 *
 * Commands wait in one queue and each session takes the next when it has fewer than WINDOW
 * in flight, so a session whose connection opens late (or runs slowly) takes only what is
 * left, instead of a share fixed when the batch was queued. WINDOW keeps each virsh busy
 * (its next command already in its stdin) without committing the whole batch to it.
 */
import type { VirshReply } from "./virsh-framing.js";
import { VirshSession, type VirshOptions } from "./virsh-session.js";

/** Sessions per URI: the machines this runs on have few cores, and libvirtd needs one too. */
export const POOL_SIZE = 2;

/** Commands in flight per session. */
const WINDOW = 16;

interface Queued {
  readonly command: string;
  readonly resolve: (reply: VirshReply) => void;
  readonly reject: (error: unknown) => void;
}

/** POOL_SIZE sessions on one URI behind one queue. */
export class VirshPool {
  private readonly sessions: VirshSession[];
  private readonly queue: Queued[] = [];
  private head = 0;

  constructor(options: VirshOptions, size = POOL_SIZE) {
    this.sessions = Array.from({ length: size }, () => new VirshSession(options));
  }

  /** Runs a command on whichever session is free first (see VirshSession.run). */
  run(command: string): Promise<VirshReply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Starts every session's virsh before a large batch, so their connections open while the
   * first session lists the domains, not after.
   */
  warm(): void {
    for (const session of this.sessions) session.warm();
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.close()));
  }

  private dispatch(): void {
    // The first session takes a small batch alone: a host with few domains runs one virsh.
    for (const session of this.sessions) {
      while (this.head < this.queue.length && session.queued < WINDOW) {
        const next = this.queue[this.head++]!;
        session.run(next.command).then(
          (reply) => {
            next.resolve(reply);
            this.dispatch();
          },
          (error: unknown) => {
            next.reject(error);
            this.dispatch();
          },
        );
      }
    }
    // Drop what has been handed out, now and then rather than shifting on every command.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
