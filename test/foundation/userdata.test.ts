/**
 * User-data: the original's search order, each step; template values; errors confined to
 * the instance whose template is broken; edits served without a restart; nothing outside
 * userdata_dir is ever read.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import type { Instance } from "../../src/inventory/instance.js";
import { identitiesOf } from "../../src/inventory/instance.js";
import type { InstanceSource } from "../../src/inventory/source.js";
import { startTestServer, writeFiles } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS, twoGuestsConfig } from "../helpers/two-guests.js";

test("user-data search order: <name>, <name>.yaml, <MAC>, <MAC>.yaml, default_template, built-in", async (t) => {
  const steps: Array<[string, string]> = [
    [ALPHA.name, "from name"],
    [`${ALPHA.name}.yaml`, "from name.yaml"],
    [ALPHA.mac, "from mac"],
    [`${ALPHA.mac}.yaml`, "from mac.yaml"],
    ["default.tmpl", "from default_template"],
  ];
  const server = await startTestServer(t, twoGuestsConfig("", "default_template = default.tmpl"), {
    files: Object.fromEntries(steps.map(([file, body]) => [`userdata/${file}`, body])),
  });
  // Remove the files one by one, highest priority first: each time the next one answers.
  for (const [file, body] of steps) {
    const res = await server.request("/latest/user-data", { from: ALPHA.ip });
    assert.equal(res.status, 200);
    assert.equal(res.body, body, `with ${file} present`);
    assert.equal(res.headers["content-type"], "application/octet-stream");
    await rm(join(server.dir, "userdata", file));
  }
  const builtin = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(
    builtin.body,
    `#cloud-config\nhostname: alpha\nlocal-hostname: alpha\nfqdn: alpha.localdomain\nmanage_etc_hosts: true\nssh_authorized_keys:\n    - ${KEYS.default}\n`,
  );
});

test("each guest gets its own file; the other guest is not affected", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/alpha.yaml": "#cloud-config\nfor: {{hostname}}\n" },
  });
  const alpha = await server.request("/latest/user-data", { from: ALPHA.ip });
  const beta = await server.request("/latest/user-data", { from: BETA.ip });
  assert.equal(alpha.body, "#cloud-config\nfor: alpha\n");
  assert.match(beta.body, /^#cloud-config\nhostname: beta\n/);
});

test("template values: hostname, public keys, password when set, template-data; {{x}} escaped, {{!x}} raw", async (t) => {
  const template = [
    "h={{hostname}}",
    "k={{public_key_backup}}",
    "p={{mdserver_password}}",
    "s={{site}}",
    "e={{motto}}",
    "r={{!motto}}",
    "{{ hostname }} with spaces",
  ].join("\n");
  const server = await startTestServer(
    t,
    twoGuestsConfig(
      "[template-data]\nsite = lab\nmotto = <fast & 'safe'>\nhostname = not-me\n",
      "password = $6$salt$hash",
    ),
    { files: { "userdata/beta": template } },
  );
  const res = await server.request("/2009-04-04/user-data", { from: BETA.ip });
  assert.equal(
    res.body,
    [
      "h=beta",
      `k=${KEYS.backup}`,
      "p=$6$salt$hash",
      "s=lab",
      "e=&lt;fast &amp; &#039;safe&#039;&gt;",
      "r=<fast & 'safe'>",
      "beta with spaces",
    ].join("\n"),
  );
});

test("mdserver_password is not a value when no password is set", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/alpha": "#cloud-config\npassword: {{mdserver_password}}\n" },
  });
  const res = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(res.status, 500);
});

test("a bad template fails only that instance's user-data, naming file, line and column", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: {
      "userdata/alpha.yaml": "#cloud-config\nhostname: {{hostname}}\nowner: {{no_such_value}}\n",
    },
  });
  const broken = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(broken.status, 500);
  assert.equal(
    broken.body,
    'user-data template error: alpha.yaml:3:10: no value named "no_such_value"\n',
  );
  // Not advertised while it fails: a listing never names what does not answer.
  assert.equal((await server.request("/latest/", { from: ALPHA.ip })).body, "dynamic/\nmeta-data/");
  // Same guest, other paths: still served. Other guest: untouched.
  assert.equal(
    (await server.request("/latest/meta-data/hostname", { from: ALPHA.ip })).body,
    "alpha",
  );
  assert.equal((await server.request("/latest/user-data", { from: BETA.ip })).status, 200);
});

test("templates written for the original render as bottle 0.12 did: code lines, loops, helpers, escapes", async (t) => {
  // Not a #cloud-config: a "%" line is no YAML (see test/userdata/yaml.test.ts).
  const template = [
    "#text",
    "hostname: {{hostname}}",
    "% if defined('mdserver_password'):",
    "password: {{!mdserver_password}}",
    "% else:",
    "lock_passwd: true",
    "% end",
    "% keys = [k for k in (public_key_default, get('public_key_backup', '')) if k]",
    "ssh_authorized_keys:",
    "% for i, key in enumerate(keys):",
    "  - {{!key}}  # {{i}}",
    "% end",
    "runcmd:",
    "  - [ echo, '{{ site.upper() }} {{ \"%s-%02d\" % (hostname, len(keys)) }}' ]",
    "%% is a literal percent line",
    "xbottle ate the x",
    "",
  ].join("\n");
  const server = await startTestServer(t, twoGuestsConfig("[template-data]\nsite = lab\n"), {
    files: { "userdata/alpha": template },
  });
  const res = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(res.status, 200, res.body);
  assert.equal(
    res.body,
    [
      "#text",
      "hostname: alpha",
      "lock_passwd: true",
      "ssh_authorized_keys:",
      `  - ${KEYS.default}  # 0`,
      `  - ${KEYS.backup}  # 1`,
      "runcmd:",
      "  - [ echo, 'LAB alpha-02' ]",
      "% is a literal percent line",
      "bottle ate the x",
      "",
    ].join("\n"),
  );
});

test("a construct outside the template subset is refused with its place, and nothing is run", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: {
      "userdata/alpha": "#cloud-config\n% import os\nx: {{ os.system('touch /tmp/pwned') }}\n",
    },
  });
  const res = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(res.status, 500);
  assert.equal(
    res.body,
    "user-data template error: alpha:2:3: 'import' is not supported in templates\n",
  );
});

test("edits to user-data files are served without a restart", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/alpha": "first\n" },
  });
  assert.equal((await server.request("/latest/user-data", { from: ALPHA.ip })).body, "first\n");
  await writeFile(join(server.dir, "userdata", "alpha"), "second\n");
  // The cache is dropped by a directory watch; allow the event a moment to arrive.
  const deadline = Date.now() + 3000;
  let body = "";
  while (Date.now() < deadline) {
    body = (await server.request("/latest/user-data", { from: ALPHA.ip })).body;
    if (body === "second\n") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(body, "second\n");
  // A new file for the other guest is picked up too.
  await writeFiles(join(server.dir, "userdata"), { "beta.yaml": "new for beta\n" });
  const deadline2 = Date.now() + 3000;
  while (Date.now() < deadline2) {
    body = (await server.request("/latest/user-data", { from: BETA.ip })).body;
    if (body === "new for beta\n") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(body, "new for beta\n");
});

test("userdata_fallback = no: no file means 404 and user-data is not listed", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("", "userdata_fallback = no"), {
    files: { "userdata/alpha": "mine\n" },
  });
  assert.equal((await server.request("/latest/user-data", { from: ALPHA.ip })).body, "mine\n");
  assert.match((await server.request("/latest/", { from: ALPHA.ip })).body, /user-data/);
  assert.equal((await server.request("/latest/user-data", { from: BETA.ip })).status, 404);
  assert.doesNotMatch((await server.request("/latest/", { from: BETA.ip })).body, /user-data/);
});

/** A source serving one instance with a hostile name and MAC. */
function hostileSource(instance: Instance): InstanceSource {
  return {
    id: "hostile",
    start: async (sink) => sink.publish("hostile", identitiesOf(instance)),
    stop: async () => {},
    health: () => ({ ok: true }),
  };
}

test("an instance name or MAC that is a path never reads outside userdata_dir", async (t) => {
  const secret = "TOP SECRET CONTENT";
  for (const [name, mac] of [
    ["../secret", "../../secret"],
    ["..", "."],
    ["sub/../../secret", "/etc/passwd"],
  ] as const) {
    const server = await startTestServer(t, twoGuestsConfig(), {
      files: { secret, "secret.yaml": secret, "userdata/sub/x": "x" },
      sources: [
        hostileSource({
          name,
          uuid: "99999999-9999-4999-8999-999999999999",
          interfaces: [{ mac, addresses: ["127.0.0.50"] }],
          source: "test",
        }),
      ],
    });
    const res = await server.request("/latest/user-data", { from: "127.0.0.50" });
    assert.equal(res.status, 200, name);
    assert.ok(!res.body.includes(secret), `${name} read outside userdata_dir`);
    assert.match(res.body, /^#cloud-config\n/, "the built-in user-data is served instead");
  }
});

test("path traversal in the URL is just an unknown path", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), { files: { secret: "TOP SECRET" } });
  for (const path of [
    "/latest/meta-data/../../secret",
    "/latest/%2e%2e/%2e%2e/secret",
    "/latest/meta-data/public-keys/..%2f..%2fsecret",
    "/../../../etc/passwd",
  ]) {
    const res = await server.request(path, { from: ALPHA.ip });
    assert.equal(res.status, 404, path);
    assert.ok(!res.body.includes("SECRET"));
  }
});

test("a FIFO or a link to a device in userdata_dir is not read: 500 for that guest (see test/userdata/)", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/alpha.yaml": "from alpha.yaml\n" },
  });
  execFileSync("mkfifo", [join(server.dir, "userdata", "alpha")]);
  await symlink("/dev/zero", join(server.dir, "userdata", "beta"));
  const alpha = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(alpha.status, 500);
  assert.equal(alpha.body, "user-data file error: alpha cannot be served\n");
  const beta = await server.request("/latest/user-data", { from: BETA.ip });
  assert.equal(beta.status, 500);
  assert.equal(beta.body, "user-data file error: beta cannot be served\n");
});
