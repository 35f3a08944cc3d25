/**
 * How much of the server one client address may hold, so that no guest can keep the others
 * from booting. A real boot asks ~50 questions over one or two connections; the defaults leave
 * it far from every limit.
 */
export interface Limits {
  /** Open connections in total, over every listen address. */
  readonly connections: number;
  /** Open connections from one client address. */
  readonly clientConnections: number;
  /** Requests per second one client address may sustain (0: no limit). */
  readonly clientRate: number;
  /** Requests one client address may make at once above that rate. */
  readonly clientBurst: number;
}

/** The defaults of [mdserver] max_connections, max_client_connections, client_rate, client_burst. */
export const LIMITS: Limits = {
  connections: 1000,
  clientConnections: 16,
  clientRate: 100,
  clientBurst: 200,
};

/**
 * How long a client that pipelined more than a connection may hold is refused (penalties.ts):
 * long enough that its reconnects cost the server little, short enough that a guest that
 * misbehaved once (a broken script) is served again soon.
 */
export const PIPELINING_PENALTY_MS = 5000;
