/**
 * Counts open connections per client address and in total, shared by every listener, so one
 * guest holding many connections cannot use up the server's file descriptors: a connection
 * over either limit is closed at once, and the others keep theirs.
 */
import type { Limits } from "./limits.js";

/** Why a connection was refused. */
export type Refusal = "client" | "total";

export class ConnectionLimit<Connection extends object = object> {
  private readonly clientOf = new Map<Connection, string>();
  private readonly open = new Map<string, number>();

  constructor(private readonly limits: Pick<Limits, "connections" | "clientConnections">) {}

  /** Counts `connection` from `client`, or says why it must be closed (not counted). */
  admit(client: string, connection: Connection): Refusal | undefined {
    const mine = this.open.get(client) ?? 0;
    if (mine >= this.limits.clientConnections) return "client";
    if (this.clientOf.size >= this.limits.connections) return "total";
    this.open.set(client, mine + 1);
    this.clientOf.set(connection, client);
    return undefined;
  }

  /** `connection` no longer counts (it closed, or is being closed); again: nothing. */
  release(connection: Connection): void {
    const client = this.clientOf.get(connection);
    if (client === undefined) return;
    this.clientOf.delete(connection);
    const mine = this.open.get(client) ?? 0;
    if (mine <= 1) this.open.delete(client);
    else this.open.set(client, mine - 1);
  }
}
