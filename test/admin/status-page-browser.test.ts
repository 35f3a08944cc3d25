/**
 * The status page in a real browser (Debian's chromium, headless, driven by playwright-core):
 * a screenshot, and the guest table's rows as a reader sees them.
 */
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import type { BootReport, BootReportSource } from "../../src/boot-reports/boot-report.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { startTestServer, tempDir } from "../helpers/test-server.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/** Where the screenshot is kept for a person to look at (rebuilt with the build directory). */
const SCREENSHOT = join(REPO_ROOT, "build", "test-output", "status-page.png");

/** alpha has reported; beta has not. */
const FINISHED = Date.UTC(2024, 4, 1, 12, 0, 0);
const REPORT: BootReport = {
  uuid: ALPHA.uuid,
  name: ALPHA.name,
  address: ALPHA.ip,
  instanceId: ALPHA.instanceId,
  hostname: ALPHA.name,
  receivedAt: FINISHED,
  hostKeys: [{ type: "ssh-ed25519", key: "AAAAC3NzaC1lZDI1NTE5AAAAIHostKey" }],
};
const reports: BootReportSource = {
  all: () => [REPORT],
  get: (uuid) => (uuid === REPORT.uuid ? REPORT : undefined),
};

test("the status page in Chromium: one row per guest with its fetches and boot report", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/beta.yaml": "#cloud-config\nbad: {{no_such_value}}\n" },
    bootReports: reports,
  });
  assert.equal(
    (await server.request("/latest/meta-data/hostname", { from: ALPHA.ip })).status,
    200,
  );
  assert.equal((await server.request("/latest/user-data", { from: ALPHA.ip })).status, 200);
  assert.equal((await server.request("/latest/user-data", { from: BETA.ip })).status, 500);
  const adminPort = server.server.adminBound[0]?.port;

  const profile = await tempDir(t, "mdserver-chromium-");
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    timeout: 120_000,
    viewport: { width: 1400, height: 600 },
  });
  t.after(() => browser.close());
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (message) => problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  const response = await page.goto(`http://127.0.0.1:${adminPort}/`, { timeout: 60_000 });
  assert.equal(response?.status(), 200);
  assert.equal(await page.title(), "mdserver status");

  await mkdir(join(REPO_ROOT, "build", "test-output"), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  const png = await readFile(SCREENSHOT);
  assert.equal(png.subarray(1, 4).toString(), "PNG");
  t.diagnostic(`screenshot: ${SCREENSHOT} (${png.length} bytes)`);

  const headers = await page.$$eval("#guests thead th", (cells) =>
    cells.map((c) => c.textContent ?? ""),
  );
  assert.deepEqual(headers, [
    "Name",
    "Addresses",
    "MAC",
    "UUID",
    "User-data file",
    "Last meta-data",
    "Last user-data",
    "Boot report",
  ]);
  const rows = await page.$$eval("#guests tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.innerText)),
  );
  assert.equal(rows.length, 2);
  const [alpha, beta] = rows;
  assert.deepEqual(alpha?.slice(0, 5), [ALPHA.name, ALPHA.ip, ALPHA.mac, ALPHA.uuid, "(built-in)"]);
  assert.match(alpha?.[5] ?? "", /^200, \d+ s ago$/);
  assert.match(alpha?.[6] ?? "", /^200, \d+ s ago$/);
  assert.equal(alpha?.[7], "cloud-init finished at 2024-05-01 12:00:00 UTC");
  assert.deepEqual(beta?.slice(0, 5), [
    BETA.name,
    BETA.ip,
    BETA.mac,
    BETA.uuid,
    `${server.dir}/userdata/beta.yaml`,
  ]);
  assert.equal(beta?.[5], "never");
  assert.match(beta?.[6] ?? "", /^500, \d+ s ago$/);
  assert.equal(beta?.[7], "no report yet");

  // The failed fetch stands out (the style sheet applies), and the error is listed.
  const colour = await page.$eval(
    `tr[data-uuid="${BETA.uuid}"] td.user-data`,
    (td) => td.ownerDocument.defaultView?.getComputedStyle(td).color,
  );
  assert.equal(colour, "rgb(170, 17, 17)");
  const errors = await page.$$eval("#errors tbody tr", (trs) => trs.map((tr) => tr.textContent));
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? "", /beta.*\/latest\/user-data.*500.*beta\.yaml:2:\d+/);
  assert.equal(await page.$$eval("script", (s) => s.length), 0);
  assert.deepEqual(problems, []);
});
