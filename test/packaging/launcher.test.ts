/**
 * The `mdserver` command's launcher (bin/mdserver, /usr/bin/mdserver in the packages):
 * `npm install -g` from this (built) checkout, into a temporary prefix, gives a working
 * command; a Node.js older than 20 gets a clear message and exit 78 before the program is even
 * loaded; SIGUSR1 (logrotate's) never opens Node.js's inspector.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { mustRun, runCommand } from "../helpers/command.js";
import { MDSERVER_BIN, serveInBackground } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { twoGuestsConfig } from "../helpers/two-guests.js";
import { VERSION } from "../helpers/packages.js";
import { REPO_ROOT } from "../helpers/paths.js";
import { tempDir } from "../helpers/test-server.js";

test("npm install -g from the checkout gives a working mdserver on the prefix's PATH", async (t) => {
  const prefix = await tempDir(t, "mdserver-npm-prefix-");
  // --offline: everything it needs is in the checkout; nothing is fetched.
  await mustRun(
    "npm",
    ["install", "-g", "--offline", "--no-audit", "--no-fund", "--prefix", prefix, REPO_ROOT],
    120_000,
  );
  const installed = join(prefix, "bin", "mdserver");
  assert.equal((await mustRun(installed, ["--version"])).stdout, `mdserver ${VERSION}\n`);
  const check = await runCommand(installed, ["check-config", join(REPO_ROOT, "etc/mdserver.conf")]);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /configuration is valid/);
});

test("on a Node.js older than 20 the launcher says so and exits 78", async (t) => {
  // The launcher reads the version from process.versions: this preload makes it report 18.
  const dir = await tempDir(t);
  const older = join(dir, "node-18.cjs");
  await writeFile(
    older,
    `Object.defineProperty(process.versions, "node", { value: "18.19.0" });
Object.defineProperty(process, "version", { value: "v18.19.0" });
`,
  );
  const result = await runCommand(process.execPath, [
    "--require",
    older,
    MDSERVER_BIN,
    "--version",
  ]);
  assert.equal(result.code, 78);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    `mdserver: needs Node.js 20 or newer; ${process.execPath} is v18.19.0\n`,
  );
});

test("SIGUSR1 does not open Node.js's inspector in a running server", async (t) => {
  const server = await serveInBackground(t, (port) => twoGuestsConfig("", `port = ${port}`));
  await eventually("the listening log line", () => server.output().includes('"msg":"listening"'));
  server.child.kill("SIGUSR1");
  // Node.js announces its inspector at once on stderr; give it well over that to show up.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.doesNotMatch(server.output(), /Debugger listening/);
  assert.equal(server.child.exitCode, null, "still running");
});
