/** `mdserver status` in the terminal: the status page's content as text. Pure. */
import { formatTable } from "../cli/format-table.js";
import { ago, bootText, fetchText, formatTime, listText } from "./status-format.js";
import type { StatusReport } from "./status-report.js";

const HEADER = ["NAME", "ADDRESSES", "MAC", "UUID", "USERDATA", "META-DATA", "USER-DATA", "BOOT"];

/** The report as lines of text. */
export function renderStatusText(report: StatusReport): string {
  const now = report.generatedAt;
  const { health } = report;
  const lines = [
    `mdserver ${report.version}: ${health.ok ? "ok" : "degraded"}`,
    ...health.reasons.map((r) => `  ${r}`),
    "",
  ];
  const rows = report.guests.map((g) => [
    g.name,
    listText(g.addresses),
    listText(g.macs),
    g.uuid,
    g.userdata,
    fetchText(g.metaData, now),
    fetchText(g.userData, now),
    bootText(g.bootReport),
  ]);
  const guests = rows.length === 0 ? "no guests known\n" : formatTable([HEADER, ...rows]);
  const errors = report.errors.map(
    (e) =>
      `  ${formatTime(e.at)} (${ago(e.at, now)}) ${e.instance ?? e.client} ${e.path} ${e.status}: ${e.message}\n`,
  );
  return `${lines.join("\n")}\n${guests}${errors.length > 0 ? `\nlast errors:\n${errors.join("")}` : ""}`;
}
