/**
 * Keep-alive connections waiting between requests, per client, longest idle first. A client at
 * its connection limit that opens one more has its longest-idle connection closed instead of the
 * new one being refused: clients such as the AWS SDK open a fresh keep-alive connection for each
 * request and leave the old ones open until the server's keep-alive time-out, and closing an
 * idle keep-alive connection is what that time-out does anyway (either side may, RFC 9112
 * §9.6). A connection that has not yet answered a request is never idle here, so a hog that
 * opens connections and sends nothing still meets the limit.
 */
import type { Socket } from "node:net";

export class IdleConnections {
  private readonly idle = new Map<string, Set<Socket>>();

  /** `socket` of `client` has answered all its requests, and they were taken. */
  add(client: string, socket: Socket): void {
    let mine = this.idle.get(client);
    if (mine === undefined) this.idle.set(client, (mine = new Set()));
    mine.add(socket);
  }

  /** `socket` of `client` closed, or is no longer idle. */
  forget(client: string, socket: Socket): void {
    const mine = this.idle.get(client);
    if (mine?.delete(socket) && mine.size === 0) this.idle.delete(client);
  }

  /** Takes the longest-idle connection of `client` whose answers are all sent, if any. */
  takeOldest(client: string): Socket | undefined {
    for (const socket of this.idle.get(client) ?? []) {
      if (socket.writableLength > 0) continue;
      this.forget(client, socket);
      return socket;
    }
    return undefined;
  }
}
