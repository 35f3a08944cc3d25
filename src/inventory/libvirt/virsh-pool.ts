/**
 * A few virsh sessions on one URI, so a large load (a dumpxml per domain) can use more than
 * one core: virsh itself formats and prints every reply.
 *
 * Commands wait in one queue and each session takes the next when it has fewer than WINDOW
 * in flight, so a session whose connection opens late (or runs slowly) takes only what is
 * left, instead of a share fixed when the batch was queued. WINDOW keeps each virsh busy
 * (its next command already in its stdin) without committing the whole batch to it.
 *
 * Urgent commands (the few an unknown client or an event waits for) have a queue of their own,
 * served first: they wait behind the WINDOW in flight, not behind a full load's thousands.
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

/** Commands waiting, first in first out. */
class Queue {
  private readonly items: Queued[] = [];
  private head = 0;

  push(item: Queued): void {
    this.items.push(item);
  }

  shift(): Queued | undefined {
    const item = this.items[this.head];
    if (item === undefined) return undefined;
    this.head++;
    // Drop what has been handed out, now and then rather than shifting on every command.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }
}

/** POOL_SIZE sessions on one URI behind one queue (and one for urgent commands). */
export class VirshPool {
  private readonly sessions: VirshSession[];
  private readonly queue = new Queue();
  private readonly urgent = new Queue();

  constructor(options: VirshOptions, size = POOL_SIZE) {
    this.sessions = Array.from({ length: size }, () => new VirshSession(options));
  }

  /**
   * Runs a command on whichever session is free first (see VirshSession.run); an urgent one
   * before every command that is not.
   */
  run(command: string, urgent = false): Promise<VirshReply> {
    return new Promise((resolve, reject) => {
      (urgent ? this.urgent : this.queue).push({ command, resolve, reject });
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
      while (session.queued < WINDOW) {
        const next = this.urgent.shift() ?? this.queue.shift();
        if (next === undefined) break;
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
  }
}
