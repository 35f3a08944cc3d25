/**
 * YAML that cloud-init reads: a rendered #cloud-config that does not parse fails that guest
 * (500, file and line in the log; #8 item 5); the built-in user-data parses with cloud-init's
 * own YAML library (PyYAML) whatever the guest's name (#11 item 10, #8 item 7).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { recordingLogger } from "../helpers/recording-logger.js";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS, twoGuestsConfig } from "../helpers/two-guests.js";

/** user-data as cloud-init's YAML library reads it (the Python cloud-init runs with). */
function pyyaml(text: string): unknown {
  const out = execFileSync(
    "/usr/bin/python3",
    ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))"],
    { input: text, encoding: "utf8" },
  );
  return JSON.parse(out);
}

test("a rendered #cloud-config that is not YAML: 500 for that guest, file and line in the log", async (t) => {
  const { log, lines } = recordingLogger();
  const server = await startTestServer(
    t,
    twoGuestsConfig("[template-data]\nowner = ops: night\n"),
    {
      files: {
        "userdata/alpha.yaml": "#cloud-config\nhostname: {{hostname}}\nowner: {{owner}}\n",
        "userdata/beta.yaml": "#cloud-config\nhostname: {{hostname}}\nowner: '{{owner}}'\n",
      },
      log,
    },
  );
  const alpha = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(alpha.status, 500);
  assert.match(
    alpha.body,
    /^user-data template error: alpha\.yaml:3:\d+: the rendered #cloud-config is not valid YAML at line 3/,
  );
  assert.doesNotMatch((await server.request("/latest/", { from: ALPHA.ip })).body, /user-data/);
  const logged = lines.find((l) => JSON.stringify(l).includes("not valid YAML"));
  assert.ok(logged, "logged");
  assert.match(JSON.stringify(logged), new RegExp(`${server.dir}/userdata/alpha\\.yaml:3:`));
  // Quoted, the same value is fine: the other guest is served.
  const beta = await server.request("/latest/user-data", { from: BETA.ip });
  assert.equal(beta.status, 200);
  assert.deepEqual(pyyaml(beta.body), { hostname: "beta", owner: "ops: night" });
});

test("the built-in user-data parses with PyYAML for any name; names HTML-escaped as the original did", async (t) => {
  const names = ["x: y #z", "- a", "yes", "007", "a&b <c>", "it's"];
  const sections = names
    .map(
      (name, i) =>
        `[instance:${name}]\nip = 127.0.0.${30 + i}\nmac = 52:54:00:00:01:${String(10 + i)}\n`,
    )
    .join("\n");
  const server = await startTestServer(t, twoGuestsConfig(sections));
  for (const [i, name] of names.entries()) {
    const res = await server.request("/latest/user-data", { from: `127.0.0.${30 + i}` });
    assert.equal(res.status, 200, `${name}: ${res.body}`);
    const escaped = name
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/'/g, "&#039;");
    assert.deepEqual(
      pyyaml(res.body),
      {
        hostname: escaped,
        "local-hostname": escaped,
        fqdn: `${escaped}.localdomain`,
        manage_etc_hosts: true,
        ssh_authorized_keys: [KEYS.default],
      },
      name,
    );
  }
});
