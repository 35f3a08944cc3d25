/**
 * The boot report store on a real file system: bounded in count and bytes (oldest out first),
 * a file it cannot read or write costs reports, never the server, and entries that are not
 * reports are left out when the file is read.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import type { BootReport } from "../../src/boot-reports/boot-report.js";
import { BootReportStore } from "../../src/boot-reports/boot-report-store.js";
import { recordingLogger } from "../helpers/recording-logger.js";
import { tempDir } from "../helpers/test-server.js";

const KEY = {
  type: "ssh-ed25519",
  key: "AAAAC3NzaC1lZDI1NTE5AAAAIKTKv4yRjwCyLXm7VGoDkeOa92PTElMqzjugnanLGgJH",
};

const report = (n: number, hostname = `vm${n}`): BootReport => ({
  uuid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  name: `vm${n}`,
  address: `10.0.0.${n}`,
  instanceId: `i-${n}`,
  hostname,
  receivedAt: 1_700_000_000_000 + n,
  hostKeys: [KEY],
});

test("the store keeps at most so many reports and bytes, the oldest going first", async (t) => {
  const file = join(await tempDir(t), "state", "reports.json");
  const { log } = recordingLogger();
  const store = await BootReportStore.open(file, log, { reports: 3, bytes: 1_000_000 });
  for (let n = 1; n <= 5; n++) store.record(report(n));
  assert.deepEqual(
    store.all().map((r) => r.name),
    ["vm5", "vm4", "vm3"],
  );
  // A guest reporting again is its newest: vm3 is kept, vm4 is now the oldest.
  store.record(report(3, "again"));
  store.record(report(6));
  assert.deepEqual(
    store.all().map((r) => r.name),
    ["vm6", "vm3", "vm5"],
  );
  await store.flush();
  const reopened = await BootReportStore.open(file, log, { reports: 3, bytes: 1_000_000 });
  assert.deepEqual(reopened.all(), store.all());

  const size = JSON.stringify(report(1)).length;
  const small = await BootReportStore.open(join(file, "..", "small.json"), log, {
    reports: 100,
    bytes: size * 2 + 10,
  });
  for (let n = 1; n <= 4; n++) small.record(report(n));
  assert.deepEqual(
    small.all().map((r) => r.name),
    ["vm4", "vm3"],
  );
  await small.flush();
});

test("a bad or unwritable file costs reports, not the server", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "reports.json");
  const { log, lines } = recordingLogger();
  // Entries that are not reports (a hand edit, a key that is no key) are left out.
  await writeFile(
    file,
    JSON.stringify({
      version: 1,
      reports: [
        report(1),
        { uuid: "x" },
        { ...report(2), hostKeys: [{ type: "ssh-rsa", key: "A" }] },
      ],
    }),
  );
  const store = await BootReportStore.open(file, log);
  assert.deepEqual(
    store.all().map((r) => r.name),
    ["vm1"],
  );

  await writeFile(file, "not json");
  const fresh = await BootReportStore.open(file, log);
  assert.deepEqual(fresh.all(), []);
  assert.ok(lines.some((l) => l.msg.includes("boot reports not read")));

  // Root ignores file modes: the directory cannot be made because a file has its name.
  const blocked = join(dir, "not-a-dir", "reports.json");
  await writeFile(join(dir, "not-a-dir"), "");
  const failing = await BootReportStore.open(blocked, log);
  failing.record(report(1));
  failing.record(report(2));
  await failing.flush();
  failing.record(report(3));
  await failing.flush();
  assert.equal(failing.all().length, 3, "kept in memory");
  assert.equal(lines.filter((l) => l.msg === "cannot save boot reports").length, 1, "logged once");
  assert.equal(
    await readFile(file, "utf8"),
    "not json",
    "a file it cannot read is not replaced until a report comes",
  );
});
