/** The command line as an operator uses it: exit codes, messages, the original's invocation. */
import assert from "node:assert/strict";
import { once } from "node:events";
import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { runCli, serveInBackground } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { send } from "../helpers/http-client.js";
import { fixture } from "../helpers/paths.js";
import { startTestServer, tempDir, writeFiles } from "../helpers/test-server.js";
import { ALPHA, twoGuestsConfig } from "../helpers/two-guests.js";

const COMMANDS = ["serve", "check-config", "dump-config"];

test("--help and --version work for mdserver and every command", async () => {
  const top = await runCli(["--help"]);
  assert.equal(top.code, 0);
  for (const command of COMMANDS) assert.match(top.stdout, new RegExp(`\\b${command}\\b`));
  assert.match((await runCli(["--version"])).stdout, /^mdserver \d+\.\d+\.\d+/);
  for (const command of COMMANDS) {
    const help = await runCli([command, "--help"]);
    assert.equal(help.code, 0, command);
    assert.match(
      help.stdout,
      new RegExp(`^Usage: mdserver ${command} \\[--config FILE\\]`),
      command,
    );
    const version = await runCli([command, "--version"]);
    assert.equal(version.code, 0, command);
    assert.match(version.stdout, /^mdserver \d/, command);
  }
});

test("an unknown command or option is a usage error (64)", async () => {
  const unknown = await runCli(["frobnicate", "x"]);
  assert.equal(unknown.code, 64);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const option = await runCli(["check-config", "--colour"]);
  assert.equal(option.code, 64);
  assert.match(option.stderr, /--colour/);
});

test("check-config: a valid file exits 0; a bad one prints every problem and exits 78", async (t) => {
  const dir = await tempDir(t);
  await writeFiles(dir, {
    "good.conf": "[mdserver]\nuserdata_dir = .\n",
    "bad.conf": "[mdserver]\nport = 70000\ndebug = maybe\n",
  });
  const good = await runCli(["check-config", "--config", join(dir, "good.conf")]);
  assert.equal(good.code, 0);
  assert.match(good.stdout, /good\.conf: configuration is valid/);
  const bad = await runCli(["check-config", join(dir, "bad.conf")]);
  assert.equal(bad.code, 78);
  assert.match(
    bad.stderr,
    /bad\.conf:2: mdserver\.port: "70000" is not a whole number from 1 to 65535/,
  );
  assert.match(bad.stderr, /bad\.conf:3: mdserver\.debug: "maybe" is not a boolean/);
  assert.match(bad.stderr, /2 problems/);
});

test("serve with a bad config exits 78 without starting", async (t) => {
  const dir = await tempDir(t);
  await writeFiles(dir, { "bad.conf": "[mdserver]\nlisten_adress = 127.0.0.1\n" });
  const res = await runCli(["serve", "--config", join(dir, "bad.conf")]);
  assert.equal(res.code, 78);
  assert.match(res.stderr, /mdserver\.listen_adress: unknown key/);
  const compat = await runCli([join(dir, "bad.conf")]);
  assert.equal(compat.code, 78);
});

test("dump-config shows every default and masks the password", async () => {
  const res = await runCli(["dump-config", "--config", fixture("original/mdserver.conf")]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^\[mdserver\]$/m);
  assert.match(res.stdout, /^port = 80$/m);
  assert.match(res.stdout, /^password = \*{8}$/m);
  assert.doesNotMatch(res.stdout, /\$6\$rounds/);
  assert.match(res.stdout, /^instance_source = libvirt$/m);
  assert.match(res.stdout, /^entry_order = prefix, domain, base$/m);
  assert.match(res.stdout, /^\[libvirt\]\nuri = qemu:\/\/\/system$/m);
  // An original-style file keeps the original's instance-id (see test/foundation/upgrade.test.ts).
  assert.match(res.stdout, /^\[ec2\]\ninstance_id = ip$/m);
});

test("`mdserver FILE` serves, as the original was started, and stops cleanly on SIGTERM", async (t) => {
  const server = await serveInBackground(t, (port) => twoGuestsConfig("", `port = ${port}`));
  await eventually("the listening log line", () => server.output().includes('"msg":"listening"'));
  const res = await send({ port: server.port, from: ALPHA.ip, path: "/latest/meta-data/hostname" });
  assert.equal(res.body, "alpha");
  server.child.kill("SIGTERM");
  const [code] = (await once(server.child, "exit")) as [number | null];
  assert.equal(code, 0);
  // The request was logged as one structured line.
  const line = server
    .output()
    .split("\n")
    .find((l) => l.includes('"msg":"request"'));
  assert.ok(line, server.output());
  const entry = JSON.parse(line) as Record<string, unknown>;
  assert.equal(entry.client, ALPHA.ip);
  assert.equal(entry.instance, "alpha");
  assert.equal(entry.path, "/latest/meta-data/hostname");
  assert.equal(entry.status, 200);
  assert.equal(typeof entry.ms, "number");
});

test("SIGHUP reopens the log file, so logrotate can move it away", async (t) => {
  const server = await serveInBackground(t, (port) =>
    twoGuestsConfig("", `port = ${port}`).replace("logfile = -", "logfile = mdserver.log"),
  );
  const logfile = join(server.dir, "mdserver.log");
  const logHas = (text: string) =>
    eventually(`${text} in the log`, async () =>
      (await readFile(logfile, "utf8").catch(() => "")).includes(text),
    );
  await logHas('"msg":"listening"');
  await rename(logfile, `${logfile}.1`);
  server.child.kill("SIGHUP");
  await logHas('"msg":"log file reopened"');
  await send({ port: server.port, from: ALPHA.ip, path: "/latest/meta-data/hostname" });
  await logHas('"path":"/latest/meta-data/hostname"');
  server.child.kill("SIGTERM");
  const [code] = (await once(server.child, "exit")) as [number | null];
  assert.equal(code, 0);
});

test("a log that cannot be written (disk full) is reported once; the server keeps serving and stops on SIGTERM", async (t) => {
  const server = await serveInBackground(t, (port) =>
    twoGuestsConfig("", `port = ${port}`).replace("logfile = -", "logfile = /dev/full"),
  );
  const hostname = () =>
    send({ port: server.port, from: ALPHA.ip, path: "/latest/meta-data/hostname" });
  await eventually("the server to answer", async () => (await hostname()).body === "alpha");
  for (let i = 0; i < 50; i++) assert.equal((await hostname()).status, 200);
  server.child.kill("SIGTERM");
  const [code] = (await once(server.child, "exit")) as [number | null];
  assert.equal(code, 0);
  assert.equal(
    server.output().match(/cannot write the log to \/dev\/full/g)?.length,
    1,
    server.output(),
  );
});

test("a port in use stops start-up with a one-line reason and exit status 1", async (t) => {
  const first = await startTestServer(t, twoGuestsConfig());
  const dir = await tempDir(t);
  await writeFiles(dir, {
    "mdserver.conf": twoGuestsConfig("", `port = ${first.port}`),
    "userdata/.keep": "",
  });
  const res = await runCli([join(dir, "mdserver.conf")]);
  assert.equal(res.code, 1);
  assert.match(res.stderr, /^mdserver: cannot start: listen EADDRINUSE.*\n$/);
});
