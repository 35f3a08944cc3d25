/** /healthz: ok, or degraded with a reason per part that is not working. */
import type { SourceHealth } from "../inventory/source.js";

/** The parts whose health counts, each read when asked. */
export interface HealthInputs {
  /** Each instance source by id (a libvirt connection down, a fault). */
  sources(): ReadonlyArray<{ readonly id: string; health(): SourceHealth }>;
  /** DNS publication, when managed. */
  dns(): SourceHealth | undefined;
  /** Why log lines are being dropped, if they are. */
  log(): string | undefined;
  /** Listeners that could not be bound (the metadata address in use by another program…). */
  listeners(): readonly string[];
}

export interface Health {
  readonly ok: boolean;
  /** One line per problem; empty when ok. */
  readonly reasons: readonly string[];
}

/** The server's health now. */
export function checkHealth(inputs: HealthInputs): Health {
  const reasons: string[] = [];
  for (const source of inputs.sources()) {
    const health = source.health();
    if (!health.ok) reasons.push(`${source.id}: ${health.problem ?? "not working"}`);
  }
  const dns = inputs.dns();
  if (dns !== undefined && !dns.ok) reasons.push(`dns: ${dns.problem ?? "not current"}`);
  const log = inputs.log();
  if (log !== undefined) reasons.push(`log: ${log}`);
  for (const listener of inputs.listeners()) reasons.push(`listener: ${listener}`);
  return { ok: reasons.length === 0, reasons };
}

/** The text /healthz answers: "ok", or "degraded" and the reasons, one a line. */
export function healthText(health: Health): string {
  return health.ok ? "ok\n" : `degraded\n${health.reasons.map((r) => `- ${r}\n`).join("")}`;
}
