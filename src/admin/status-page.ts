/**
 * The status page: plain HTML and CSS, no script, so "did my guest get its keys?" is answered
 * at a glance. It refreshes itself every 30 seconds. Pure: a report in, a page out.
 */
import { ago, bootText, fetchState, fetchText, formatTime, listText } from "./status-format.js";
import type { GuestStatus, StatusReport } from "./status-report.js";

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .3em; }
h2 { font-size: 1.1em; margin: 1.5em 0 .4em; }
.meta { color: #666; }
.health { display: inline-block; padding: .2em .7em; border-radius: .3em; font-weight: bold; }
.health.ok { background: #d8f0d8; color: #175917; }
.health.degraded { background: #fbe3c4; color: #7a4300; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; }
td.mono, td.address, td.mac, td.uuid, td.userdata-file { font-family: ui-monospace, monospace; font-size: .92em; }
td.ok { color: #175917; }
td.refused { color: #7a4300; }
td.error { color: #a11; font-weight: 600; }
td.never { color: #888; }
td.meta-data, td.user-data { white-space: nowrap; }
ul.reasons { margin: .4em 0; }
`;

function escape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function cell(className: string, text: string, title?: string): string {
  const hint = title === undefined ? "" : ` title="${escape(title)}"`;
  return `<td class="${className}"${hint}>${escape(text)}</td>`;
}

function row(guest: GuestStatus, now: number): string {
  const fetched = (name: string, fetch: GuestStatus["metaData"]) =>
    cell(
      `${name} ${fetchState(fetch)}`,
      fetchText(fetch, now),
      fetch && `${fetch.path} at ${formatTime(fetch.at)}`,
    );
  return `<tr data-uuid="${escape(guest.uuid)}">${[
    cell("name", guest.name),
    cell("address", listText(guest.addresses)),
    cell("mac", listText(guest.macs)),
    cell("uuid", guest.uuid),
    cell("userdata-file", guest.userdata),
    fetched("meta-data", guest.metaData),
    fetched("user-data", guest.userData),
    cell("boot-report", bootText(guest.bootReport)),
  ].join("")}</tr>`;
}

/** The page for `report`. */
export function renderStatusPage(report: StatusReport): string {
  const now = report.generatedAt;
  const { health } = report;
  const reasons = health.ok
    ? ""
    : `<ul class="reasons">${health.reasons.map((r) => `<li>${escape(r)}</li>`).join("")}</ul>`;
  const guests =
    report.guests.length === 0
      ? `<p class="meta">No guests known.</p>`
      : `<table id="guests">
<thead><tr><th>Name</th><th>Addresses</th><th>MAC</th><th>UUID</th><th>User-data file</th><th>Last meta-data</th><th>Last user-data</th><th>Boot report</th></tr></thead>
<tbody>
${report.guests.map((g) => row(g, now)).join("\n")}
</tbody>
</table>`;
  const errors =
    report.errors.length === 0
      ? `<p class="meta">None.</p>`
      : `<table id="errors">
<thead><tr><th>When</th><th>Guest</th><th>Client</th><th>Path</th><th>Status</th><th>Error</th></tr></thead>
<tbody>
${report.errors
  .map(
    (e) =>
      `<tr>${[
        cell("when", `${formatTime(e.at)} (${ago(e.at, now)})`),
        cell("name", e.instance ?? "-"),
        cell("address", e.client),
        cell("mono", e.path),
        cell("status", String(e.status)),
        cell("message", e.message),
      ].join("")}</tr>`,
  )
  .join("\n")}
</tbody>
</table>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="30">
<title>mdserver status</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>mdserver status</h1>
<p class="meta">mdserver ${escape(report.version)} · ${escape(formatTime(now))} · <span class="health ${health.ok ? "ok" : "degraded"}" id="health">${health.ok ? "ok" : "degraded"}</span></p>
${reasons}
<h2>Guests (${report.guests.length})</h2>
${guests}
<h2>Last errors</h2>
${errors}
</body>
</html>
`;
}
