/**
 * Faults of the hosts-file mode, with a real dnsmasq: a missing or stale pid file, a
 * read-only directory, a full disk. Each is logged once, shows in the DNS manager's health,
 * is retried on the next change, never stops the server answering, and never leaves a
 * partial file: the previous one stays whole (and dnsmasq keeps answering from it).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFile, copyFile, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import type { StaticInstanceConfig } from "../../src/config/config.js";
import { recordingLogger, WARN, type LogLine } from "../helpers/recording-logger.js";
import { startTestServer, tempDir, type TestServer } from "../helpers/test-server.js";
import { startDnsmasq, type TestDnsmasq } from "./helpers/dnsmasq.js";
import { dnsConfig, guest, instanceSections, publishStatic } from "./helpers/dns-setup.js";
import { mountTmpfs } from "../helpers/tmpfs.js";

const WEB = guest("web1", "127.0.0.31");
const DB = guest("db1", "127.0.0.32");

/** Warnings about DNS whose key contains `kind`. */
const warnings = (lines: readonly LogLine[], kind: string) =>
  lines.filter((l) => l.level === WARN && String(l.dns).includes(kind));

/** Starts dnsmasq on `file` and a server publishing `guests` there, recording its log. */
async function setUp(
  t: Parameters<typeof startTestServer>[0],
  file: string,
  pidDir: string,
  guests: readonly StaticInstanceConfig[],
  pidFile?: string,
): Promise<{ dns: TestDnsmasq; server: TestServer; lines: LogLine[] }> {
  const dns = await startDnsmasq(t, pidDir, [file]);
  const { log, lines } = recordingLogger();
  const server = await startTestServer(
    t,
    dnsConfig(`addn_hosts = ${file}\npid_file = ${pidFile ?? dns.pidFile}`, {
      more: instanceSections(guests),
    }),
    { log },
  );
  await server.server.dns?.idle();
  return { dns, server, lines };
}

/** As setUp, with the hosts file on a 1 MiB tmpfs of its own; web1 published. */
async function onTmpfs(t: Parameters<typeof startTestServer>[0]) {
  const fs = await mountTmpfs(t, "1m");
  const file = join(fs.dir, "guests.hosts");
  const { dns, server, lines } = await setUp(t, file, await tempDir(t), [WEB]);
  await dns.expect("web1", ["127.0.0.31"]);
  return { fs, file, dns, server, lines, before: await readFile(file, "utf8") };
}

async function hostname(server: TestServer, from: string): Promise<string | number> {
  const res = await server.request("/latest/meta-data/hostname", { from });
  return res.status === 200 ? res.body : res.status;
}

test("a missing, then stale pid file: the file is written, dnsmasq not signalled; fixed, it is", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "guests.hosts");
  const pidFile = join(dir, "elsewhere.pid");
  const { dns, server, lines } = await setUp(t, file, dir, [WEB], pidFile);
  const health = () => server.server.dns?.health();
  assert.equal(health()?.ok, false);
  assert.match(
    health()?.problem ?? "",
    /dnsmasq not reloaded: pid file .*elsewhere\.pid does not exist/,
  );
  assert.match(await readFile(file, "utf8"), /^127\.0\.0\.31 web1$/m, "the file is written");
  assert.deepEqual(await dns.lookup("web1"), [], "dnsmasq was not told");
  assert.equal(await hostname(server, "127.0.0.31"), "web1", "serving goes on");

  // Stale: the pid of a program that is not dnsmasq (SIGHUP would end it), then of none.
  const sleeper = spawn("sleep", ["60"]);
  t.after(() => sleeper.kill("SIGKILL"));
  await writeFile(pidFile, `${sleeper.pid}\n`);
  await publishStatic(server.server, [WEB, DB]);
  assert.match(health()?.problem ?? "", new RegExp(`process ${sleeper.pid} is sleep, not dnsmasq`));
  assert.equal(sleeper.exitCode ?? sleeper.signalCode, null, "the other program was not signalled");
  const gone = spawn("true");
  await new Promise((resolve) => gone.once("exit", resolve));
  await writeFile(pidFile, `${gone.pid}\n`);
  await publishStatic(server.server, [WEB]);
  assert.match(health()?.problem ?? "", new RegExp(`process ${gone.pid} is not running`));
  assert.equal(warnings(lines, "reload").length, 1, "logged once, however often it is met");

  // Fixed: the next change tells dnsmasq.
  await copyFile(dns.pidFile, pidFile);
  await publishStatic(server.server, [WEB, DB]);
  assert.deepEqual(health(), { ok: true, lastSuccess: health()?.lastSuccess });
  await dns.expect("web1", ["127.0.0.31"]);
  await dns.expect("db1", ["127.0.0.32"]);
  assert.ok(lines.some((l) => l.msg.startsWith("recovered: hosts file")));
});

test("a read-only directory: the previous file stays whole and in use; writable again, caught up", async (t) => {
  const { fs, file, dns, server, lines, before } = await onTmpfs(t);

  await fs.readOnly(true);
  await publishStatic(server.server, [DB]);
  await publishStatic(server.server, [WEB, DB]);
  const health = server.server.dns?.health();
  assert.equal(health?.ok, false);
  assert.match(health?.problem ?? "", /cannot write it: EROFS/);
  assert.equal(await readFile(file, "utf8"), before, "the previous file is whole");
  await dns.expect("web1", ["127.0.0.31"]);
  assert.equal(await hostname(server, "127.0.0.32"), "db1", "serving goes on");
  assert.equal(warnings(lines, "write").length, 1);

  await fs.readOnly(false);
  await publishStatic(server.server, [DB]);
  assert.equal(server.server.dns?.health().ok, true);
  await dns.expect("db1", ["127.0.0.32"]);
  await dns.expect("web1", []);
});

test("a full disk: the write fails, the old file stays whole; space again, caught up", async (t) => {
  const { fs, file, dns, server, lines, before } = await onTmpfs(t);

  // Fill the file system (at most 1 MiB in 4 KiB pieces).
  const filler = join(fs.dir, "filler");
  let full = false;
  for (let i = 0; i < 300 && !full; i++) {
    await appendFile(filler, Buffer.alloc(4096)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOSPC") throw error;
      full = true;
    });
  }
  assert.ok(full, "the tmpfs filled up");

  const many = Array.from({ length: 50 }, (_, i) => guest(`vm${i}`, `127.0.4.${i + 1}`));
  await publishStatic(server.server, many);
  assert.match(server.server.dns?.health().problem ?? "", /cannot write it: ENOSPC/);
  assert.equal(await readFile(file, "utf8"), before, "the previous file is whole");
  await dns.expect("web1", ["127.0.0.31"]);
  assert.equal(await hostname(server, "127.0.4.7"), "vm6", "serving goes on");
  assert.equal(warnings(lines, "write").length, 1);

  await rm(filler);
  await publishStatic(server.server, [...many, WEB]);
  assert.equal(server.server.dns?.health().ok, true);
  await dns.expect("vm49", ["127.0.4.50"]);
  await dns.expect("web1", ["127.0.0.31"]);
});
