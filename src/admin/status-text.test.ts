import assert from "node:assert/strict";
import { test } from "node:test";
import { renderStatusPage } from "./status-page.js";
import type { StatusReport } from "./status-report.js";
import { renderStatusText } from "./status-text.js";

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

const REPORT: StatusReport = {
  version: "1.2.3",
  generatedAt: NOW,
  health: { ok: false, reasons: ["dns: cannot write /x"] },
  guests: [
    {
      name: "web<1>",
      uuid: "11111111-2222-3333-4444-555555555555",
      source: "static",
      addresses: ["10.0.0.5", "fd00::5"],
      macs: ["52:54:00:00:00:05"],
      userdata: "/etc/mdserver/userdata/web.yaml",
      metaData: { at: NOW - 180_000, path: "/latest/meta-data/", status: 200 },
      userData: { at: NOW - 5_000, path: "/latest/user-data", status: 500 },
      bootReport: { finishedAt: NOW - 1000, hostname: "web", hostKeys: 2 },
    },
    {
      name: "db",
      uuid: "66666666-2222-3333-4444-555555555555",
      source: "static",
      addresses: [],
      macs: [],
      userdata: "(built-in)",
      bootReport: undefined,
    },
  ],
  errors: [
    {
      at: NOW - 5_000,
      instance: "web<1>",
      client: "10.0.0.5",
      path: "/latest/user-data",
      status: 500,
      message: "/etc/mdserver/userdata/web.yaml:3:1: name 'x' is not defined",
    },
  ],
};

test("renderStatusText: health, one row per guest with its fetches and boot report, errors", () => {
  const text = renderStatusText(REPORT);
  const lines = text.split("\n");
  assert.equal(lines[0], "mdserver 1.2.3: degraded");
  assert.equal(lines[1], "  dns: cannot write /x");
  const web = lines.find((l) => l.startsWith("web<1>")) ?? "";
  assert.match(web, /10\.0\.0\.5, fd00::5 +52:54:00:00:00:05 +11111111-/);
  assert.match(
    web,
    /web\.yaml +200, 3 min ago +500, 5 s ago +cloud-init finished at 2024-05-01 11:59:59 UTC$/,
  );
  const db = lines.find((l) => l.startsWith("db")) ?? "";
  assert.match(db, /^db +- +- +6666.* +\(built-in\) +never +never +—$/);
  assert.match(
    text,
    /last errors:\n {2}2024-05-01 11:59:55 UTC \(5 s ago\) web<1> \/latest\/user-data 500: /,
  );
});

test("renderStatusPage escapes what guests and files name", () => {
  const page = renderStatusPage(REPORT);
  assert.ok(page.includes('<td class="name">web&lt;1&gt;</td>'));
  assert.ok(!page.includes("web<1>"));
  assert.ok(!/<script/i.test(page));
});
