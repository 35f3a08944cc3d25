/**
 * The HTTP servers of one handler on a set of addresses, which a reload can change: new
 * addresses are bound before old ones are let go, and a server let go finishes the requests it
 * has (only idle connections are closed at once). An address that does not exist yet
 * (EADDRNOTAVAIL: libvirt's network not up) is tried again every RETRY_BIND_MS. Every server
 * of a set shares one Guard: the connection and rate limits hold over all its addresses.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log/logger.js";
import { createGuard, createHttpServer, listen, type Guard, type Timeouts } from "./http-server.js";
import type { Handler } from "./request.js";

/** How often an address that does not exist yet is tried again. */
const RETRY_BIND_MS = 2000;

/** How long a server let go by a reload may finish its requests before its sockets are cut. */
const DRAIN_MS = 10_000;

/** How long requests in flight may take to be answered when the server stops (SIGTERM). */
const STOP_DRAIN_MS = 3000;

/** How often a draining server closes the keep-alive connections that have fallen idle. */
const IDLE_SWEEP_MS = 50;

interface Bound {
  readonly server: Server;
  readonly info: AddressInfo;
}

export class ListenerSet {
  private readonly servers = new Map<string, Bound>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    /** For the log: "metadata" or "admin". */
    private readonly name: string,
    private readonly handler: Handler,
    private readonly log: Logger,
    private readonly timeouts?: Timeouts,
    /** Where requests are logged (the access log), if not `log`. */
    private readonly requestLog: Logger = log,
    /** The limits' state, shared by every server of the set. */
    private readonly guard: Guard = createGuard(),
  ) {}

  /** The addresses bound now, ports resolved. */
  get bound(): AddressInfo[] {
    return [...this.servers.values()].map((b) => b.info);
  }

  /** Addresses still waited for (for /healthz). */
  get waiting(): string[] {
    return [...this.retries.keys()].map((key) => `${this.name} ${key}: address not present yet`);
  }

  /**
   * Listens on exactly `addresses` at `port`: binds the new ones, then lets the others go.
   * When a new one cannot be bound (other than not present yet), those bound by this call are
   * closed again, nothing else changes, and the error is thrown.
   */
  async update(addresses: readonly string[], port: number): Promise<void> {
    const wanted = new Map(addresses.map((address) => [key(address, port), address]));
    const added: string[] = [];
    try {
      for (const [k, address] of wanted) {
        if (this.servers.has(k) || this.retries.has(k)) continue;
        await this.bind(k, address, port, false);
        added.push(k);
      }
    } catch (error) {
      for (const k of added) this.release(k, 0);
      throw error;
    }
    for (const k of [...this.servers.keys(), ...this.retries.keys()]) {
      if (!wanted.has(k)) this.release(k, DRAIN_MS);
    }
  }

  /**
   * Stops listening, lets the requests in flight be answered (for `drainMs` at most), then
   * closes every connection.
   */
  async close(drainMs = STOP_DRAIN_MS): Promise<void> {
    this.closed = true;
    const keys = [...this.servers.keys(), ...this.retries.keys()];
    await Promise.all(keys.map((k) => this.release(k, drainMs)));
  }

  private async bind(k: string, address: string, port: number, retry: boolean): Promise<void> {
    const server = createHttpServer(this.handler, this.requestLog, this.timeouts, this.guard);
    try {
      const info = await listen(server, address, port);
      // A retry that finished after close() (or after its address was dropped) must not stay.
      if (this.closed || (retry && !this.retries.has(k))) return void server.close();
      this.retries.delete(k);
      this.servers.set(k, { server, info });
      this.log.info({ listener: this.name, address, port: info.port }, "listening");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The metadata address often appears only when libvirt's network comes up: wait for it.
      if (code !== "EADDRNOTAVAIL" || this.closed) throw error;
      if (!retry) {
        this.log.warn(
          { listener: this.name, address, port },
          "address not present yet; will keep trying to listen",
        );
      }
      const timer = setTimeout(() => {
        this.bind(k, address, port, true).catch((e: unknown) => {
          this.retries.delete(k);
          this.log.error({ listener: this.name, address, port, err: e }, "cannot listen");
        });
      }, RETRY_BIND_MS);
      this.retries.set(k, timer);
    }
  }

  /** Lets one address go: idle connections now, the rest after `drainMs`. */
  private release(k: string, drainMs: number): Promise<void> {
    clearTimeout(this.retries.get(k));
    this.retries.delete(k);
    const bound = this.servers.get(k);
    if (bound === undefined) return Promise.resolve();
    this.servers.delete(k);
    const { server } = bound;
    return new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), drainMs);
      cut.unref();
      // A keep-alive connection goes as soon as its answer is written, not at its time-out.
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      sweep.unref();
      server.close(() => {
        clearTimeout(cut);
        clearInterval(sweep);
        resolve();
      });
      if (drainMs === 0) server.closeAllConnections();
      else server.closeIdleConnections();
      if (drainMs > 0 && !this.closed) {
        this.log.info({ listener: this.name, key: k }, "stopped listening");
      }
    });
  }
}

function key(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}
