/**
 * A few virsh sessions on one URI, so a large load (a dumpxml per domain) uses more than one
 * core: virsh formats each reply itself and is the bottleneck. A second session starts only
 * when the first has a backlog, so a small host runs one virsh.
 */
import type { VirshReply } from "./virsh-framing.js";
import { VirshSession, type VirshOptions } from "./virsh-session.js";

/** Sessions per URI: the machines this runs on have few cores, and libvirtd needs one too. */
export const POOL_SIZE = 2;

/** Queued commands a session takes before the next session is used. */
const BACKLOG = 8;

export class VirshPool {
  private readonly sessions: VirshSession[];

  constructor(options: VirshOptions, size = POOL_SIZE) {
    this.sessions = Array.from({ length: size }, () => new VirshSession(options));
  }

  /** Runs a command on the least busy session (see VirshSession.run). */
  run(command: string): Promise<VirshReply> {
    const idle = this.sessions.find((s) => s.queued < BACKLOG);
    const session = idle ?? this.sessions.reduce((best, s) => (s.queued < best.queued ? s : best));
    return session.run(command);
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}
