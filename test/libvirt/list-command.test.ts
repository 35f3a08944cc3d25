/** `mdserver list`, run as the command it is, against libvirt's test driver. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ALPHA, BETA, DELTA, FIXTURE_URI, GAMMA } from "../helpers/libvirt-fixture.js";
import { tempDir, writeFiles } from "../helpers/test-server.js";

const MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));

async function list(t: TestContext, configText: string, files: Record<string, string> = {}) {
  const dir = await tempDir(t);
  await writeFiles(dir, { "mdserver.conf": configText, "userdata/.keep": "", ...files });
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [MAIN, "list", "--config", join(dir, "mdserver.conf")],
      { timeout: 20_000 },
    );
    return { code: 0, stdout, stderr, dir };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, dir };
  }
}

function config(uri: string, extra = ""): string {
  return `[mdserver]
userdata_dir = userdata
logfile = -
${extra}
[libvirt]
uri = ${uri}
[dnsmasq]
net_name = mds, other
base_dir = leases
`;
}

test("lists every served address with its instance and the user-data file it would get", async (t) => {
  const result = await list(t, config(FIXTURE_URI, "default_template = default.tmpl"), {
    "userdata/alpha.yaml": "#cloud-config\n",
    [`userdata/${BETA.mac}`]: "#cloud-config\n",
    "userdata/default.tmpl": "#cloud-config\n",
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  assert.deepEqual(lines[0]?.split(/\s+/), [
    "NAME",
    "UUID",
    "MAC",
    "ADDRESS",
    "NETWORK",
    "USERDATA",
  ]);
  const rows = lines.slice(1).map((l) => l.split(/\s{2,}/));
  const userdata = (file: string) => join(result.dir, "userdata", file);
  assert.deepEqual(rows, [
    [ALPHA.name, ALPHA.uuid, ALPHA.mac, ALPHA.ip, "mds", userdata("alpha.yaml")],
    [BETA.name, BETA.uuid, BETA.mac, BETA.ip, "mds", userdata(BETA.mac)],
    [
      DELTA.name,
      DELTA.uuid,
      DELTA.mac,
      DELTA.ip,
      "mds",
      `${userdata("default.tmpl")} (default_template)`,
    ],
    [
      GAMMA.name,
      GAMMA.uuid,
      GAMMA.mac,
      GAMMA.ip,
      "other",
      `${userdata("default.tmpl")} (default_template)`,
    ],
  ]);
  // epsilon, shut off, is not served; the shared MAC of twin-a and twin-b is reported, not listed.
  assert.match(result.stderr, /127\.0\.0\.27 is claimed by twin-a and twin-b/);
});

test("static instances are listed too; built-in user-data is named as such", async (t) => {
  const result = await list(
    t,
    `[mdserver]\nuserdata_dir = userdata\ninstance_source = static\n[instance:web]\nip = 127.0.0.60\nmac = 52:54:00:00:00:60\n`,
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^web\s+\S+\s+52:54:00:00:00:60\s+127\.0\.0\.60\s+-\s+\(built-in\)$/m,
  );
});

test("libvirt that cannot be reached: says why on stderr and exits 1", async (t) => {
  const result = await list(t, config("test:///nonexistent/node.xml"));
  assert.equal(result.code, 1);
  assert.match(result.stderr, /warning: cannot read libvirt at test:\/\/\/nonexistent\/node\.xml/);
  assert.equal(result.stdout.trim().split("\n").length, 1, "only the header");
});
