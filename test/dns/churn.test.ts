/**
 * Hundreds of inventory changes in a row, while another process keeps reading and parsing the
 * hosts file and dnsmasq keeps being told to reload it: no read ever sees a partial file,
 * every block read is one of the views published, and dnsmasq ends with the final view.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { StaticInstanceConfig } from "../../src/config/config.js";
import { StaticSource } from "../../src/inventory/static/static-source.js";
import { startTestServer, tempDir } from "../helpers/test-server.js";
import { startDnsmasq } from "./helpers/dnsmasq.js";
import { dnsConfig, guest } from "./helpers/dns-setup.js";

const READER = fileURLToPath(new URL("./helpers/hosts-reader.js", import.meta.url));
const CHANGES = 300;
const GUESTS = 40;

/** The guests of view i: a window of 3 to 9 of the 40, sliding and changing size. */
function view(i: number): StaticInstanceConfig[] {
  const first = (i * 7) % GUESTS;
  const size = 3 + (i % 7);
  return Array.from({ length: size }, (_, k) => (first + k) % GUESTS)
    .sort((a, b) => a - b)
    .map((n) => guest(`vm${n}`, `127.0.2.${n + 1}`));
}

/** mdserver's block for a view, as the reader reports it (lines sorted by address). */
const block = (guests: readonly StaticInstanceConfig[]) =>
  guests.map((g) => `${g.ip[0]} ${g.name}`).join("\n");

test("churn: a reader never sees a partial file; dnsmasq ends with the final set", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "guests.hosts");
  const adminLine = "127.0.0.99 admin-box";
  await writeFile(file, `${adminLine}\n`);
  const dns = await startDnsmasq(t, dir, [file]);
  const server = await startTestServer(
    t,
    dnsConfig(`addn_hosts = ${file}\npid_file = ${dns.pidFile}`),
  );
  const reader = spawn(process.execPath, [READER, file, adminLine], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  t.after(() => reader.kill("SIGKILL"));
  let output = "";
  reader.stdout.on("data", (d: Buffer) => (output += d.toString()));
  const finished = new Promise((resolve) => reader.once("exit", resolve));
  await new Promise((resolve) => reader.stderr.once("data", resolve));

  const published = new Set<string>([""]);
  for (let i = 0; i < CHANGES; i++) {
    const guests = view(i);
    published.add(block(guests));
    await new StaticSource(guests).start(server.server.inventory);
    // Some changes come in bursts (coalesced), others a moment apart (each written).
    if (i % 4 !== 0) await new Promise((resolve) => setTimeout(resolve, 3));
  }
  const final = view(CHANGES - 1);
  await server.server.dns?.idle();
  reader.stdin.end();
  await finished;

  const seen = JSON.parse(output) as { reads: number; blocks: string[]; broken: string[] };
  t.diagnostic(`reader: ${seen.reads} reads, ${seen.blocks.length} distinct blocks`);
  assert.deepEqual(seen.broken, [], "no partial file was ever read");
  for (const b of seen.blocks) assert.ok(published.has(b), `a block never published:\n${b}`);
  assert.ok(seen.blocks.length >= 5, `the reader saw only ${seen.blocks.length} versions`);
  assert.ok(seen.blocks.includes(block(final)));

  const names = new Map(final.map((g) => [g.name, g.ip[0] ?? ""]));
  for (let n = 0; n < GUESTS; n++) {
    const name = `vm${n}`;
    const address = names.get(name);
    await dns.expect(name, address === undefined ? [] : [address]);
  }
  await dns.expect("admin-box", ["127.0.0.99"]);
  assert.equal(server.server.dns?.health().ok, true);
});
