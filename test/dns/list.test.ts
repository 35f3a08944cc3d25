/** `mdserver list` with DNS management on: each guest's names, and DNS faults it would meet. */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../helpers/cli.js";
import { tempDir, writeFiles } from "../helpers/test-server.js";
import { startDnsmasq } from "./helpers/dnsmasq.js";
import { dnsConfig, guest, instanceSections } from "./helpers/dns-setup.js";

const GUESTS = instanceSections([guest("web1", "127.0.0.61"), guest("Db_2", "127.0.0.62")]);

async function list(dir: string, keys: string) {
  await writeFiles(dir, {
    "mdserver.conf": dnsConfig(
      `${keys}\nprefix = t-\ndomain = lab\nentry_order = base, prefix, fqdn`,
      {
        more: GUESTS,
      },
    ),
    "userdata/.keep": "",
  });
  return runCli(["list", "--config", join(dir, "mdserver.conf")]);
}

test("list shows each guest's DNS names and writes nothing", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "guests.hosts");
  await writeFile(file, "127.0.0.9 someone\n");
  const dns = await startDnsmasq(t, dir, [file]);
  const result = await list(dir, `addn_hosts = ${file}\npid_file = ${dns.pidFile}`);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  assert.deepEqual(lines[0]?.split(/\s+/).at(-1), "DNS");
  const dnsColumn = lines.slice(1).map((l) => l.split(/\s{2,}/).at(-1));
  // Names sorted by instance name: Db_2 (mapped to db-2), then web1.
  assert.deepEqual(dnsColumn, ["db-2,t-db-2,t-db-2.lab", "web1,t-web1,t-web1.lab"]);
  assert.equal(await readFile(file, "utf8"), "127.0.0.9 someone\n", "the file is not touched");
});

test("list exits 1 and says why when DNS could not be published", async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, "stale.pid"), "1\n");
  const result = await list(
    dir,
    `addn_hosts = ${join(dir, "guests.hosts")}\npid_file = ${join(dir, "stale.pid")}`,
  );
  assert.equal(result.code, 1);
  assert.match(result.stderr, /warning: DNS: pid file .*stale\.pid holds no pid/);
  assert.equal(result.stdout.trimEnd().split("\n").length, 3, "the guests are still listed");
});
