/**
 * No silent fallbacks (#11 item 7): a FIFO, a directory, a device or a dangling link where a
 * guest's file is, or userdata_dir gone after start, is logged once and that guest gets a 500;
 * a FIFO never blocks the server; the other guest is served as before.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, rename, symlink } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { recordingLogger, WARN } from "../helpers/recording-logger.js";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";

const CASES: Array<[string, (path: string) => Promise<void>, RegExp]> = [
  ["a FIFO", async (path) => void execFileSync("mkfifo", [path]), /FIFO/],
  ["a directory", (path) => mkdir(path).then(() => undefined), /directory/],
  ["a device", async (path) => void execFileSync("mknod", [path, "c", "1", "3"]), /device/],
  ["a dangling link", (path) => symlink("nothing-here.yaml", path), /does not exist/],
];

for (const [what, make, message] of CASES) {
  test(`${what} at a guest's file name: 500 for that guest, logged once, never a hang`, async (t) => {
    const { log, lines } = recordingLogger();
    const server = await startTestServer(t, twoGuestsConfig(), {
      files: { "userdata/alpha.yaml": "not used: alpha has a file of higher priority\n" },
      log,
    });
    await make(join(server.dir, "userdata", ALPHA.name));
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const res = await server.request("/latest/user-data", { from: ALPHA.ip });
      assert.equal(res.status, 500, `${what}: ${res.body}`);
      assert.ok(Date.now() - started < 5000, `${what}: took ${Date.now() - started} ms`);
      const beta = await server.request("/latest/user-data", { from: BETA.ip });
      assert.equal(beta.status, 200);
    }
    const logged = lines.filter((l) => l.level >= WARN && message.test(l.msg));
    assert.equal(logged.length, 1, JSON.stringify(lines));
  });
}

test("userdata_dir gone after start: 500 and logged once; back again: served again", async (t) => {
  const { log, lines } = recordingLogger();
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/alpha": "mine\n" },
    log,
  });
  const dir = join(server.dir, "userdata");
  assert.equal((await server.request("/latest/user-data", { from: ALPHA.ip })).body, "mine\n");
  await rename(dir, `${dir}.away`);
  const until = async (status: number): Promise<void> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await server.request("/latest/user-data", { from: BETA.ip });
      if (res.status === status || Date.now() > deadline) {
        assert.equal(res.status, status, res.body);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await until(500);
  for (const guest of [ALPHA, BETA]) {
    const res = await server.request("/latest/user-data", { from: guest.ip });
    assert.equal(res.status, 500, `${guest.name} got the built-in user-data: ${res.body}`);
  }
  assert.equal(lines.filter((l) => /userdata_dir/.test(l.msg) && l.level >= WARN).length, 1);
  await rename(`${dir}.away`, dir);
  await until(200);
  assert.equal((await server.request("/latest/user-data", { from: ALPHA.ip })).body, "mine\n");
});

test("default_template gone after start: the built-in user-data, logged once (as at start-up)", async (t) => {
  const { log, lines } = recordingLogger();
  const server = await startTestServer(t, twoGuestsConfig("", "default_template = default.yaml"), {
    files: { "userdata/default.yaml": "#cloud-config\nfrom: default\n" },
    log,
  });
  const dir = join(server.dir, "userdata");
  assert.equal(
    (await server.request("/latest/user-data", { from: ALPHA.ip })).body,
    "#cloud-config\nfrom: default\n",
  );
  await rename(join(dir, "default.yaml"), join(server.dir, "moved.yaml"));
  const deadline = Date.now() + 10_000;
  let body = "";
  while (Date.now() < deadline) {
    body = (await server.request("/latest/user-data", { from: ALPHA.ip })).body;
    if (body.startsWith("#cloud-config\nhostname")) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(body, /^#cloud-config\nhostname: alpha\n/);
  await server.request("/latest/user-data", { from: BETA.ip });
  assert.equal(lines.filter((l) => /default_template/.test(l.msg) && l.level >= WARN).length, 1);
});
