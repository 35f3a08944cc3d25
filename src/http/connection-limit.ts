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
  private readonly open = new Map<string, Set<Connection>>();

  constructor(private readonly limits: Pick<Limits, "connections" | "clientConnections">) {}

  /** Counts `connection` from `client`, or says why it must be closed (not counted). */
  admit(client: string, connection: Connection): Refusal | undefined {
    const mine = this.open.get(client);
    if ((mine?.size ?? 0) >= this.limits.clientConnections) return "client";
    if (this.clientOf.size >= this.limits.connections) return "total";
    if (mine === undefined) this.open.set(client, new Set([connection]));
    else mine.add(connection);
    this.clientOf.set(connection, client);
    return undefined;
  }

  /** The connections of `client` counted now (a copy: closing them changes the count). */
  of(client: string): Connection[] {
    return [...(this.open.get(client) ?? [])];
  }

  /** `connection` no longer counts (it closed, or is being closed); again: nothing. */
  release(connection: Connection): void {
    const client = this.clientOf.get(connection);
    if (client === undefined) return;
    this.clientOf.delete(connection);
    const mine = this.open.get(client);
    if (mine?.delete(connection) && mine.size === 0) this.open.delete(client);
  }
}
