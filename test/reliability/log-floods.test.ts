/**
 * Issue #11 item 3: logging cannot hurt serving. A flood of long URLs, and a standard output
 * nobody reads, leave memory bounded and SIGTERM working; a log file that cannot be opened is
 * a config error at start-up.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { MDSERVER_BIN, runCli, serveInBackground, freePort } from "../helpers/cli.js";
import { tempDir, writeFiles } from "../helpers/test-server.js";
import { ALPHA, STRANGER, twoGuestsConfig } from "../helpers/two-guests.js";
import { hammer, rssMb } from "./guest-load.js";
import { answering, stopsOnSigterm } from "./server-process.js";

test("a flood of 8 KB URLs is logged truncated and sampled; memory stays bounded", async (t) => {
  const server = await serveInBackground(t, (port) =>
    twoGuestsConfig("", `port = ${port}\nclient_rate = 0`).replace(
      "logfile = -",
      "logfile = mdserver.log",
    ),
  );
  await answering(server.port);
  const pid = server.child.pid ?? -1;
  const from = Array<string>(8).fill(STRANGER);
  const sent = await hammer({ port: server.port, from, path: `/${"x".repeat(8190)}`, ms: 4000 });
  const rss = await rssMb(pid);
  const size = (await stat(join(server.dir, "mdserver.log"))).size;
  t.diagnostic(`${sent} requests; RSS ${rss.toFixed(0)} MB; log ${size} bytes`);
  assert.ok(rss < 200, `RSS ${rss} MB`);
  // Without sampling and truncation, every request would have written more than 8 KB.
  assert.ok(size < sent * 1000, `${size} bytes of log for ${sent} requests`);
  await stopsOnSigterm(server.child);
});

test("logging to a standard output nobody reads neither grows memory nor blocks SIGTERM", async (t) => {
  const dir = await tempDir(t);
  const port = await freePort();
  await writeFiles(dir, {
    "mdserver.conf": twoGuestsConfig("", `port = ${port}\nclient_rate = 0`),
    "userdata/.keep": "",
  });
  // stdout is a pipe this test never reads.
  const child = spawn(process.execPath, [MDSERVER_BIN, join(dir, "mdserver.conf")], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  child.stdout?.pause();
  await answering(port, ALPHA.ip);
  const from = Array<string>(8).fill(ALPHA.ip);
  const sent = await hammer({
    port,
    from,
    path: `/latest/meta-data/${"y".repeat(2000)}`,
    ms: 4000,
  });
  const rss = await rssMb(child.pid ?? -1);
  t.diagnostic(`${sent} requests; RSS ${rss.toFixed(0)} MB`);
  assert.ok(rss < 200, `RSS ${rss} MB`);
  await answering(port, ALPHA.ip);
  await stopsOnSigterm(child);
});

test("a log file that cannot be opened is a config error (78) naming mdserver.logfile", async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, "a-directory"));
  await writeFiles(dir, {
    "mdserver.conf": twoGuestsConfig().replace("logfile = -", `logfile = ${dir}/a-directory`),
    "userdata/.keep": "",
  });
  for (const command of ["check-config", "serve"]) {
    const result = await runCli([command, "--config", join(dir, "mdserver.conf")]);
    assert.equal(result.code, 78, `${command}: ${result.stderr}`);
    assert.match(result.stderr, /mdserver\.logfile.*a-directory is a directory/);
  }
});
