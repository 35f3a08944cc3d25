/**
 * readDomains sends a batch to one virsh as several runAll chunks at once and parses each as it
 * comes (libvirt's test driver, for real): the reads come back whole and in order, and a virsh
 * that hangs with chunks outstanding fails all of them at once, with no virsh started for them.
 */
import assert from "node:assert/strict";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { Faults } from "../../src/inventory/libvirt/faults.js";
import { readDomains, runningDomains } from "../../src/inventory/libvirt/libvirt-reads.js";
import type { ReadContext } from "../../src/inventory/libvirt/libvirt-reads.js";
import { VirshSession, VirshSessionError } from "../../src/inventory/libvirt/virsh-session.js";
import { silentLogger } from "../../src/log/logger.js";
import { generatedGuest, writeGeneratedNode } from "../helpers/generated-node.js";
import { tempDir } from "../helpers/test-server.js";

const DOMAINS = 300;

/**
 * virsh whose output stops (it hangs) after 40 domains, a little more than the first chunk;
 * every start is counted in `dir`/starts. Its pieces die with it (parent-death signal).
 */
async function hangingVirsh(dir: string): Promise<string> {
  const wrapper = join(dir, "virsh-hanging");
  const pdeath = "setpriv --pdeathsig KILL --";
  await writeFile(
    wrapper,
    `#!/bin/sh
echo >> '${dir}/starts'
${pdeath} virsh "$@" | ${pdeath} perl -e '
  my $n = 0;
  while (sysread(STDIN, my $chunk, 2048)) {
    syswrite(STDOUT, $chunk);
    $n += () = $chunk =~ m{</domain>}g;
    sleep 3600 if $n >= 40;
  }'
`,
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}

/** A session on DOMAINS generated domains; `batches`: every runAll sent, in order. */
async function context(t: TestContext, hang = false) {
  const dir = await tempDir(t);
  const uri = await writeGeneratedNode(dir, DOMAINS);
  const virsh = hang ? await hangingVirsh(dir) : "virsh";
  const session = new VirshSession({ virsh, uri, timeoutMs: hang ? 1000 : 60_000 });
  t.after(() => session.close());
  const batches: Array<Promise<unknown>> = [];
  const counted: ReadContext["session"] = {
    run: (command) => session.run(command),
    abort: (reason) => session.abort(reason),
    runAll: (commands) => {
      const sent = session.runAll(commands);
      batches.push(sent);
      return sent;
    },
  };
  const faults = new Faults(silentLogger());
  const ctx: ReadContext = { uri, networks: ["mds"], baseDir: dir, faults, session: counted };
  return { ctx, dir, batches };
}

test("a batch goes to virsh as several chunks at once; every read comes back, in order", async (t) => {
  const { ctx, batches } = await context(t);
  const refs = await runningDomains(ctx);
  assert.equal(refs.length, DOMAINS);
  const reads = await readDomains(ctx, refs);
  assert.ok(batches.length > 2, `${batches.length} batches`);
  assert.deepEqual(
    reads.map(([ref, info]) => [ref.uuid, typeof info === "object" ? info.uuid : info]),
    refs.map((ref) => [ref.uuid, ref.uuid]),
  );
  const last = reads.at(-1)?.[1];
  assert.equal(
    typeof last === "object" && last.interfaces[0]?.mac,
    generatedGuest(DOMAINS - 1).mac,
  );
});

test("a virsh that hangs with chunks outstanding fails them all at once and none starts again", async (t) => {
  const { ctx, dir, batches } = await context(t, true);
  const refs = await runningDomains(ctx);
  const reading = readDomains(ctx, refs);
  assert.ok(batches.length > 2, `${batches.length} batches`);
  await assert.rejects(reading, (e: unknown) => e instanceof VirshSessionError);
  const settled = await Promise.allSettled(batches);
  assert.equal(settled[0]?.status, "fulfilled", "the first chunk was answered");
  const reasons = settled.slice(2).map((s) => (s.status === "rejected" ? s.reason : s.status));
  assert.ok(
    reasons.every((r) => r instanceof VirshSessionError && r === reasons[0]),
    String(reasons),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(await readFile(join(dir, "starts"), "utf8"), "\n", "virsh started again");
});
