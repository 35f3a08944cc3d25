/**
 * The admin listener's routes: /healthz, /metrics, / (the status page) and /status.json.
 * Read-only: GET and HEAD.
 */
import { HttpError, text, type Reply } from "../http/reply.js";
import type { Handler, Request } from "../http/request.js";
import type { AdminMetrics } from "./admin-metrics.js";
import { healthText, type Health } from "./health.js";
import { renderStatusPage } from "./status-page.js";
import type { StatusReport } from "./status-report.js";

/** What the routes read. */
export interface AdminSources {
  readonly metrics: AdminMetrics;
  health(): Health;
  status(): Promise<StatusReport>;
}

/** The admin listener's handler. */
export function createAdminHandler(sources: AdminSources): Handler {
  const routes: Record<string, () => Reply | Promise<Reply>> = {
    "/healthz": () => {
      const health = sources.health();
      return text(healthText(health), health.ok ? 200 : 503);
    },
    "/metrics": async () => {
      const { body, contentType } = await sources.metrics.render();
      return { status: 200, body, contentType };
    },
    "/": async () => ({
      status: 200,
      body: renderStatusPage(await sources.status()),
      contentType: "text/html; charset=utf-8",
    }),
    "/status.json": async () => ({
      status: 200,
      body: `${JSON.stringify(await sources.status(), null, 1)}\n`,
      contentType: "application/json",
    }),
  };
  return (request: Request) => {
    const route = routes[request.path];
    if (route === undefined) throw new HttpError(404, "not found");
    if (request.method !== "GET" && request.method !== "HEAD") {
      throw new HttpError(405, "method not allowed", { Allow: "GET, HEAD" });
    }
    return route();
  };
}
