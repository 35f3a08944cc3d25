/**
 * Boot reports end to end: two guests boot with cloud-init's own code (NoCloud seed from the
 * serial, vendor-data as served, cloud-init's phone_home module), post their ssh host keys
 * from their own addresses, and `mdserver known-hosts` prints lines that ssh-keygen finds.
 * Reports survive a restart; those of domains that are gone are dropped; a guest can only
 * report for itself, a stranger gets 404, and a body is bounded.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { promisify } from "node:util";
import { runCli } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { startTestServer, tempDir } from "../helpers/test-server.js";
import { ALPHA, BETA, STRANGER, twoGuestsConfig } from "../helpers/two-guests.js";
import { runDriver } from "../ec2/helpers/cloud-init.js";
import { NOCLOUD_SERIAL } from "../../src/setup/setup-mode.js";

const run = promisify(execFile);
const DRIVER = "../../boot-reports/python/phone_home.py";
const PATH = "/mdserver/boot-report";
/** Where the tests keep reports: beside the config, never the machine's /var/lib/mdserver. */
const STATE = "boot_reports_file = reports.json";

interface Booted {
  ok: boolean;
  vendordata: string;
  config: { phone_home?: { url: string; post: string[] } };
}

/** A guest's ssh host keys, made by ssh-keygen as a first boot makes them: type → .pub text. */
async function hostKeys(t: TestContext): Promise<{ dir: string; pub: Record<string, string> }> {
  const dir = await tempDir(t, "mdserver-hostkeys-");
  const pub: Record<string, string> = {};
  for (const type of ["ed25519", "ecdsa", "rsa"]) {
    const file = join(dir, `ssh_host_${type}_key`);
    await run("ssh-keygen", ["-q", "-t", type, "-N", "", "-C", "root@guest", "-f", file]);
    pub[type] = (await readFile(`${file}.pub`, "utf8")).trim();
  }
  return { dir, pub };
}

/** "type key" of a .pub line (its comment dropped). */
const typeAndKey = (line: string) => line.split(" ").slice(0, 2).join(" ");

test("cloud-init's phone_home posts each guest's host keys; known-hosts prints them for ssh", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("", STATE));
  const serial = NOCLOUD_SERIAL.replace("169.254.169.254", `127.0.0.1:${server.port}`);
  const keys = new Map<string, Record<string, string>>();
  for (const guest of [ALPHA, BETA]) {
    const { dir, pub } = await hostKeys(t);
    keys.set(guest.uuid, pub);
    const started = Date.now();
    const out = await runDriver<Booted>(DRIVER, { source: guest.ip, serial, keys_dir: dir });
    const who = `${guest.name}\n${out.log}`;
    assert.equal(out.ok, true, who);
    assert.equal(out.config.phone_home?.url, `http://127.0.0.1:${server.port}${PATH}`, who);
    const posts = out.requests.filter(([method]) => method === "POST");
    assert.deepEqual(
      posts.map(([, url, status]) => [url, status]),
      [[`http://127.0.0.1:${server.port}${PATH}`, 200]],
      who,
    );
    const report = server.server.bootReports.get(guest.uuid);
    assert.ok(report, who);
    assert.equal(report.name, guest.name);
    assert.equal(report.address, guest.ip);
    assert.equal(report.instanceId, guest.instanceId, "the instance-id cloud-init had");
    assert.equal(report.hostname, guest.name);
    assert.ok(report.receivedAt >= started && report.receivedAt <= Date.now());
    assert.deepEqual(
      report.hostKeys.map((k) => `${k.type} ${k.key}`),
      [pub.ed25519, pub.ecdsa, pub.rsa].map((line) => typeAndKey(line ?? "")),
    );
  }
  assert.deepEqual(
    server.server.bootReports.all().map((r) => r.name),
    ["beta", "alpha"],
    "newest first",
  );

  // The state file is written in the background: wait for both reports in it.
  const state = join(server.dir, "reports.json");
  await eventually("both reports in the state file", async () => {
    const text = await readFile(state, "utf8").catch(() => "");
    return text.includes(ALPHA.uuid) && text.includes(BETA.uuid);
  });
  const config = join(server.dir, "mdserver.conf");
  const all = await runCli(["known-hosts", "--config", config]);
  assert.equal(all.code, 0, all.stderr);
  const lines = all.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 6);
  const known = join(server.dir, "known_hosts");
  await writeFile(known, all.stdout);
  // ssh's own tool finds each guest by name and by address, with the key it made.
  for (const guest of [ALPHA, BETA]) {
    for (const host of [guest.name, guest.ip]) {
      const { stdout } = await run("ssh-keygen", ["-F", host, "-f", known]);
      const found = stdout.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
      const pub = keys.get(guest.uuid) ?? {};
      assert.deepEqual(
        found.map((l) => l.split(" ").slice(1).join(" ")).sort(),
        Object.values(pub).map(typeAndKey).sort(),
        `${host}`,
      );
    }
  }
  const one = await runCli(["known-hosts", "--config", config, ALPHA.ip]);
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual(
    one.stdout.trimEnd().split("\n"),
    lines.filter((l) => l.startsWith(`${ALPHA.name},`)),
  );
  const missing = await runCli(["known-hosts", "--config", config, "alpha", "nosuch"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no boot report from "nosuch"/);
  assert.equal(missing.stdout, one.stdout, "the guests it knows are still printed");
});

/** A phone_home body as cloud-init posts it. */
function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

const FORM_HEADERS = { "Content-Type": "application/x-www-form-urlencoded" };

test("only a known guest reports, only for itself, and only so much", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("", STATE));
  const { pub } = await hostKeys(t);
  const post = (from: string, body: string | Buffer, path = PATH) =>
    server.request(path, { from, method: "POST", headers: FORM_HEADERS, body });
  const body = form({ pub_key_ed25519: pub.ed25519 ?? "", instance_id: ALPHA.instanceId });

  // A stranger learns nothing, not even that the path exists.
  assert.equal((await post(STRANGER, body)).status, 404);
  assert.deepEqual(server.server.bootReports.all(), []);
  // Beta claiming alpha's instance-id is still beta's report; alpha's is untouched.
  assert.equal((await post(BETA.ip, body)).status, 200);
  assert.equal(server.server.bootReports.get(ALPHA.uuid), undefined);
  assert.equal(server.server.bootReports.get(BETA.uuid)?.address, BETA.ip);
  // POST only there; GET there is refused, and so is POST anywhere else.
  assert.equal((await server.request(PATH, { from: ALPHA.ip })).status, 405);
  assert.equal((await post(ALPHA.ip, body, "/latest/meta-data/")).status, 405);
  assert.equal((await post(ALPHA.ip, body, "/nocloud/meta-data")).status, 405);
  // A body past the bound is refused before it is read whole.
  const big = await post(ALPHA.ip, Buffer.alloc(64 * 1024, "a"));
  assert.equal(big.status, 413);
  assert.equal(server.server.bootReports.get(ALPHA.uuid), undefined);
  // A report posted again replaces the guest's last one.
  const again = form({ pub_key_ed25519: "N/A", instance_id: BETA.instanceId, hostname: "b2" });
  assert.equal((await post(BETA.ip, again)).status, 200);
  assert.deepEqual(server.server.bootReports.get(BETA.uuid)?.hostKeys, []);
  assert.equal(server.server.bootReports.get(BETA.uuid)?.hostname, "b2");
  assert.equal(server.server.bootReports.all().length, 1);
  // Closing waits for the last write, before the directory is removed.
  await server.server.close();
});

test("reports survive a restart; a domain that is gone loses its report", async (t) => {
  const dir = await tempDir(t);
  const state = join(dir, "reports.json");
  const stateKey = `boot_reports_file = ${state}`;
  const { pub } = await hostKeys(t);
  const first = await startTestServer(t, twoGuestsConfig("", stateKey));
  for (const guest of [ALPHA, BETA]) {
    const res = await first.request(PATH, {
      from: guest.ip,
      method: "POST",
      headers: FORM_HEADERS,
      body: form({ pub_key_ed25519: pub.ed25519 ?? "", hostname: guest.name }),
    });
    assert.equal(res.status, 200);
  }
  await first.server.close();
  const saved = first.server.bootReports.all();
  assert.equal(saved.length, 2);

  // The same guests: both reports back, as they were.
  const second = await startTestServer(t, twoGuestsConfig("", stateKey));
  assert.deepEqual(second.server.bootReports.all(), saved);
  await second.server.close();

  // beta's domain is gone from the config: its report goes, from memory and from the file.
  const alphaOnly = twoGuestsConfig("", stateKey).replace(/\[instance:beta\][^[]*/, "");
  assert.doesNotMatch(alphaOnly, /beta/);
  const third = await startTestServer(t, alphaOnly);
  await eventually("beta's report dropped", () => third.server.bootReports.all().length === 1);
  assert.equal(third.server.bootReports.all()[0]?.uuid, ALPHA.uuid);
  await eventually("the file without beta", async () => {
    const text = await readFile(state, "utf8");
    return text.includes(ALPHA.uuid) && !text.includes(BETA.uuid);
  });
});

test("phone_home = no: no vendor-data, no reports taken", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("", `${STATE}\nphone_home = no`));
  const vendor = await server.request("/nocloud/vendor-data", { from: ALPHA.ip });
  assert.equal(vendor.status, 200);
  assert.equal(vendor.body, "", "an empty vendor-data (a 404 costs eleven retries)");
  const openstack = await server.request("/openstack/latest/vendor_data.json", {
    from: ALPHA.ip,
  });
  assert.equal(openstack.body, "{}");
  const res = await server.request(PATH, { from: ALPHA.ip, method: "POST", body: "x=1" });
  assert.equal(res.status, 405);
});
