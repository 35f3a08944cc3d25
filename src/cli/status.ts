/**
 * `mdserver status`: what the status page shows, in the terminal. It asks the running server's
 * admin listener (the config's [admin] section says where) for /status.json. Exits 1 when the
 * server is degraded, 69 (EX_UNAVAILABLE) when no server answers there.
 */
import { request } from "node:http";
import type { StatusReport } from "../admin/status-report.js";
import { renderStatusText } from "../admin/status-text.js";
import { loadConfig } from "../config/load-config.js";
import { EXIT, type Command } from "./command.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";

/** EX_UNAVAILABLE from sysexits.h: no server to ask. */
const UNAVAILABLE = 69;
const TIMEOUT_MS = 10_000;

export const statusCommand: Command = {
  name: "status",
  summary:
    "Prints the running server's status: health, each guest's last fetches and boot report, the last errors.",
  async run(args) {
    let config;
    try {
      const loaded = await loadConfig(args.config);
      printWarnings(loaded.warnings);
      config = loaded.config;
    } catch (error) {
      return reportConfigError(error);
    }
    const { enabled, listen_address, port } = config.admin;
    const address = listen_address[0] ?? "127.0.0.1";
    const where = `${address.includes(":") ? `[${address}]` : address}:${port}`;
    if (!enabled) {
      process.stderr.write(`mdserver status: admin.enabled is off in ${config.file}\n`);
      return UNAVAILABLE;
    }
    let report: StatusReport;
    try {
      report = JSON.parse(await get(address, port, "/status.json")) as StatusReport;
    } catch (error) {
      process.stderr.write(
        `mdserver status: no answer from the admin listener at ${where}: ${(error as Error).message} (is mdserver running?)\n`,
      );
      return UNAVAILABLE;
    }
    process.stdout.write(renderStatusText(report));
    return report.health.ok ? EXIT.ok : EXIT.failure;
  },
};

function get(host: string, port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, timeout: TIMEOUT_MS }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}
