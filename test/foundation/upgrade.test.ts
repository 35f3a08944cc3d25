/**
 * A safe upgrade from the original (#8 item 7): a config file as mdserver 0.5 wrote it keeps
 * the original's instance-id form, with one start-up note; a new-style file gets the stable
 * form; settings the original tolerated start with a warning naming file, line and key.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { identitiesOf, type Instance } from "../../src/inventory/instance.js";
import type { InstanceSource } from "../../src/inventory/source.js";
import { runCli } from "../helpers/cli.js";
import { startTestServer, tempDir, writeFiles } from "../helpers/test-server.js";

const GUEST: Instance = {
  name: "old-guest",
  uuid: "12345678-9abc-4def-8123-456789abcdef",
  interfaces: [{ mac: "52:54:00:00:05:01", addresses: ["127.0.0.51"] }],
  source: "test",
};

/** Stands in for libvirt, which an original-style file names by default. */
function oneGuest(): InstanceSource {
  return {
    id: "test",
    start: async (sink) => sink.publish("test", identitiesOf(GUEST)),
    stop: async () => {},
    health: () => ({ ok: true }),
  };
}

const ORIGINAL = `[mdserver]
listen_address = 127.0.0.1
logfile = -
userdata_dir = userdata
password = $6$salt$hash

[public-keys]
default = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIUpgrade admin@host
`;

async function instanceIds(configText: string, t: Parameters<typeof startTestServer>[0]) {
  const server = await startTestServer(t, configText, { sources: [oneGuest()] });
  const from = "127.0.0.51";
  const ec2 = (await server.request("/latest/meta-data/instance-id", { from })).body;
  const doc = (await server.request("/latest/dynamic/instance-identity/document", { from })).body;
  const nocloud = (await server.request("/nocloud/meta-data", { from })).body;
  return { ec2, document: (JSON.parse(doc) as { instanceId: string }).instanceId, nocloud };
}

test("an original-style config keeps i-<client address> everywhere an instance-id is served", async (t) => {
  const ids = await instanceIds(ORIGINAL, t);
  assert.equal(ids.ec2, "i-127.0.0.51");
  assert.equal(ids.document, "i-127.0.0.51");
  assert.match(ids.nocloud, /^instance-id: "i-127\.0\.0\.51"$/m);
});

test("a new-style config, or [ec2] instance_id = uuid, gets the stable UUID form", async (t) => {
  for (const extra of ["[ec2]\ninstance_id = uuid\n", "[ec2]\nregion = lab-1\n"]) {
    const ids = await instanceIds(`${ORIGINAL}\n${extra}`, t);
    assert.equal(ids.ec2, "i-123456789abc4def8", extra);
    assert.equal(ids.document, ids.ec2);
  }
  const chosen = await instanceIds(`${ORIGINAL}\n[ec2]\ninstance_id = ip\n`, t);
  assert.equal(chosen.ec2, "i-127.0.0.51", "ip chosen explicitly");
});

test("the start-up warnings (serve and check-config print the same) say it once", async (t) => {
  const dir = await tempDir(t);
  await writeFiles(dir, { "m.conf": ORIGINAL, "userdata/.keep": "" });
  const res = await runCli(["check-config", join(dir, "m.conf")]);
  assert.equal(res.code, 0, res.stderr);
  const notes = res.stderr.split("\n").filter((l) => l.includes("instance-id stays"));
  assert.equal(notes.length, 1, res.stderr);
  assert.match(notes[0] ?? "", /set \[ec2\] instance_id = uuid/);
});

test("settings the original tolerated start, each with a warning naming file, line and key", async (t) => {
  const dir = await tempDir(t);
  const cases: Array<[string, string, RegExp]> = [
    [
      "empty password",
      "[mdserver]\npassword =\n",
      /m\.conf:2: mdserver\.password is empty: read as not set/,
    ],
    [
      "empty default_template",
      "[mdserver]\nuserdata_dir = .\ndefault_template =\n",
      /m\.conf:3: mdserver\.default_template is empty: read as not set/,
    ],
    [
      "missing default_template file",
      "[mdserver]\nuserdata_dir = .\n\ndefault_template = gone.yaml\n",
      /m\.conf:4: mdserver\.default_template: .*\/gone\.yaml does not exist; the built-in user-data is served instead/,
    ],
    [
      "loglevel fatal",
      "[mdserver]\nloglevel = FATAL\n",
      /m\.conf:2: mdserver\.loglevel: Python's "fatal" is read as critical/,
    ],
    [
      "loglevel notset",
      "[mdserver]\n\nloglevel = notset\n",
      /m\.conf:3: mdserver\.loglevel: Python's "notset" is read as debug/,
    ],
  ];
  for (const [what, text, warning] of cases) {
    await writeFiles(dir, { "m.conf": text });
    const res = await runCli(["check-config", "--config", join(dir, "m.conf")]);
    assert.equal(res.code, 0, `${what}: ${res.stderr}`);
    assert.match(res.stderr, warning, what);
  }
});

test("no config file at all: the defaults, with a warning naming the file", async (t) => {
  const dir = await tempDir(t);
  const res = await runCli(["check-config", "--config", join(dir, "mdserver.conf")]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stderr, /mdserver\.conf: no such config file: every setting has its default/);
  const dump = await runCli(["dump-config", "--config", join(dir, "mdserver.conf")]);
  assert.match(dump.stdout, /^port = 80$/m);
  assert.match(dump.stdout, /^instance_id = ip$/m);
});

test("what the original could not use either still stops with 78", async (t) => {
  const dir = await tempDir(t);
  for (const text of [
    "[mdserver]\nport = eighty\n",
    "[mdserver]\nloglevel = loud\n",
    "[mdserver]\ndebug = perhaps\n",
  ]) {
    await writeFiles(dir, { "m.conf": text });
    const res = await runCli(["check-config", "--config", join(dir, "m.conf")]);
    assert.equal(res.code, 78, text);
  }
});
