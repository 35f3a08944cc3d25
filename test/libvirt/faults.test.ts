/**
 * Faults the libvirt source must live through, with real virsh and libvirt's test driver:
 * libvirt unreachable at start-up (and its return), virsh missing, XML that does not parse.
 * Each is logged once, reported by health(), and what is known keeps being served.
 */
import assert from "node:assert/strict";
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import type { Identity } from "../../src/inventory/instance.js";
import type { Faults } from "../../src/inventory/libvirt/faults.js";
import {
  LibvirtSource,
  type LibvirtSourceOptions,
} from "../../src/inventory/libvirt/libvirt-source.js";
import { StaticSource } from "../../src/inventory/static/static-source.js";
import { eventually } from "../helpers/eventually.js";
import { ALPHA, BETA, FIXTURE_FILE, FIXTURE_URI } from "../helpers/libvirt-fixture.js";
import { recordingLogger, WARN, type LogLine } from "../helpers/recording-logger.js";
import { startTestServer, tempDir } from "../helpers/test-server.js";

const CONFIG = `[mdserver]
listen_address = 127.0.0.1
userdata_dir = userdata
logfile = -
`;

/** A guest that does not depend on libvirt, served beside it. */
const staticOne = () => new StaticSource([{ name: "static-one", ip: ["127.0.0.50"] }]);

function source(t: TestContext, dir: string, options: Partial<LibvirtSourceOptions> = {}) {
  const { log, lines } = recordingLogger();
  const libvirt = new LibvirtSource({
    uri: FIXTURE_URI,
    virsh: "virsh",
    timeoutMs: 5000,
    networks: ["mds"],
    baseDir: join(dir, "leases"),
    refreshIntervalMs: 0,
    watch: true,
    log,
    backoff: { initialMs: 100, maxMs: 400 },
    ...options,
  });
  t.after(() => libvirt.stop());
  return { libvirt, lines };
}

const warnings = (lines: readonly LogLine[], fault: string) =>
  lines.filter((l) => l.level === WARN && l.fault === fault);

async function ask(
  server: {
    request: (p: string, o: { from: string }) => Promise<{ status: number; body: string }>;
  },
  from: string,
) {
  const res = await server.request("/latest/meta-data/hostname", { from });
  return res.status === 200 ? res.body : res.status;
}

test("libvirt unreachable at start-up: degraded, logged once, recovers by itself when it appears", async (t) => {
  const dir = await tempDir(t);
  const node = join(dir, "node.xml");
  const { libvirt, lines } = source(t, dir, { uri: `test://${node}` });
  const server = await startTestServer(t, CONFIG, { sources: [libvirt, staticOne()] });
  assert.equal(libvirt.health().ok, false);
  assert.match(libvirt.health().problem ?? "", /cannot read libvirt/);
  for (let i = 0; i < 5; i++) assert.equal(await ask(server, ALPHA.ip), 404);
  assert.equal(await ask(server, "127.0.0.50"), "static-one");
  await copyFile(FIXTURE_FILE, node);
  await eventually("alpha to be served", async () => (await ask(server, ALPHA.ip)) === ALPHA.name);
  assert.deepEqual(libvirt.health().ok, true);
  assert.equal(warnings(lines, "connection").length, 1, JSON.stringify(lines));
  assert.equal(lines.filter((l) => l.fault === "connection" && /^recovered/.test(l.msg)).length, 1);
});

test("libvirt away: unknown clients bring a retry forward at most once per backoff step", async (t) => {
  const dir = await tempDir(t);
  // Counts the virsh started: a full load starts both sessions of the pool.
  const starts = join(dir, "starts");
  const wrapper = join(dir, "virsh-counting");
  await writeFile(wrapper, `#!/bin/sh\necho >> '${starts}'\nexec virsh "$@"\n`);
  await chmod(wrapper, 0o755);
  const backoff = { initialMs: 200, maxMs: 400 };
  const { libvirt } = source(t, dir, {
    uri: `test://${join(dir, "absent.xml")}`,
    virsh: wrapper,
    backoff,
  });
  await libvirt.start({ publish: () => {} });
  const started = Date.now();
  for (let i = 0; i < 60; i++) {
    await libvirt.refresh();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const elapsed = Date.now() - started;
  const virsh = (await readFile(starts, "utf8")).length;
  // The start-up load, the tries the backoff schedules (200 ms, then 400 ms apart), and one
  // early try for each of them. Brought forward by every request, it was one per request.
  const loads = 1 + 2 * (Math.ceil(elapsed / backoff.maxMs) + 1);
  assert.ok(virsh <= 2 * loads, `${virsh} virsh started in ${elapsed} ms`);
  assert.equal(libvirt.health().ok, false);
});

test("virsh missing: the static instances are still served; the fault is logged once", async (t) => {
  const dir = await tempDir(t);
  const { libvirt, lines } = source(t, dir, { virsh: "/nonexistent/virsh" });
  const server = await startTestServer(t, CONFIG, { sources: [libvirt, staticOne()] });
  for (let i = 0; i < 5; i++) assert.equal(await ask(server, ALPHA.ip), 404);
  assert.equal(await ask(server, "127.0.0.50"), "static-one");
  // Retries keep failing in the background (100 ms apart here): still one line.
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(warnings(lines, "connection").length, 1);
  assert.match(libvirt.health().problem ?? "", /cannot run \/nonexistent\/virsh/);
});

/**
 * Real virsh, with beta's XML broken on its way out (each reply comes in one write) while the
 * file `broken` exists in `dir` when virsh starts.
 */
async function virshBreakingBeta(dir: string): Promise<string> {
  const wrapper = join(dir, "virsh-breaking-beta");
  await writeFile(
    wrapper,
    `#!/bin/sh
[ -e '${join(dir, "broken")}' ] || exec virsh "$@"
virsh "$@" | perl -e '$|=1; while (sysread(STDIN, $b, 65536)) { $b =~ s{<name>beta</name>}{<name>beta</nam>}g; syswrite(STDOUT, $b) }'
`,
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}

test("a domain whose XML does not parse is left out; the others are served", async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, "broken"), "");
  const wrapper = await virshBreakingBeta(dir);
  const { libvirt, lines } = source(t, dir, { virsh: wrapper });
  const server = await startTestServer(t, CONFIG, { sources: [libvirt, staticOne()] });
  assert.equal(await ask(server, ALPHA.ip), ALPHA.name);
  for (let i = 0; i < 3; i++) assert.equal(await ask(server, BETA.ip), 404);
  const fault = `domain:${BETA.uuid}`;
  assert.equal(warnings(lines, fault).length, 1);
  assert.match(libvirt.health().problem ?? "", /malformed XML/);
});

/**
 * The reconcile loop on a copy of the fixture, read through virshBreakingBeta. Events are
 * marked by hand (the test driver sends none). The session's virsh is started afresh by
 * reconnect(): that is when a change to the copy or to `broken` shows.
 */
async function reconcileLoop(t: TestContext) {
  const dir = await tempDir(t);
  const node = join(dir, "node.xml");
  await copyFile(FIXTURE_FILE, node);
  const { log, lines } = recordingLogger();
  const loop = new LibvirtSource({
    uri: `test://${node}`,
    virsh: await virshBreakingBeta(dir),
    timeoutMs: 5000,
    networks: ["mds"],
    baseDir: join(dir, "leases"),
    refreshIntervalMs: 0,
    log,
    backoff: { initialMs: 100, maxMs: 400 },
    watch: true,
  });
  await loop.start({ publish: () => {} });
  t.after(() => loop.stop());
  return {
    loop,
    faults: loop.faults,
    lines,
    node,
    /** A full load, and waits for its end (a few domains: one pass). */
    load: () => {
      loop.mark("all");
      return loop.refresh([]);
    },
    async reconnect({ broken }: { broken: boolean }) {
      if (broken) await writeFile(join(dir, "broken"), "");
      else await rm(join(dir, "broken"), { force: true });
      loop.session.abort("reconnect");
    },
  };
}

const domainFaults = (faults: Faults) =>
  (faults.problem() ?? "").split("; ").filter((p) => p.startsWith("domain "));

test("a domain fault raised by an event's re-read is cleared by the next good load", async (t) => {
  const { loop, faults, lines, load, reconnect } = await reconcileLoop(t);
  assert.equal(faults.problem(), undefined);
  await reconnect({ broken: true });
  loop.mark(`domain ${BETA.name}`);
  // The re-read the event asked for is in the next pass.
  await loop.refresh([]);
  assert.ok(faults.has(`domain:${BETA.uuid}`), "the fault is the domain's, by its UUID");
  assert.equal(domainFaults(faults).length, 1);
  await reconnect({ broken: false });
  await load();
  assert.equal(faults.problem(), undefined);
  assert.equal(lines.filter((l) => l.level === WARN && l.degrading).length, 1);
  assert.equal(faults.has("connection"), false);
});

test("an event about a domain never read whole: its fault is still the one under its UUID", async (t) => {
  const { loop, faults, lines, load, reconnect } = await reconcileLoop(t);
  await reconnect({ broken: true });
  await load();
  loop.mark(`domain ${BETA.name}`);
  await loop.refresh([]);
  await loop.refresh([]);
  assert.deepEqual(domainFaults(faults).length, 1);
  assert.ok(faults.has(`domain:${BETA.uuid}`));
  assert.equal(lines.filter((l) => l.level === WARN && l.degrading).length, 1);
  assert.equal(faults.has("connection"), false);
});

test("a domain fault is cleared once the domain is gone", async (t) => {
  const { faults, load, reconnect, node } = await reconcileLoop(t);
  await reconnect({ broken: true });
  await load();
  assert.match(faults.problem() ?? "", /malformed XML/);
  const xml = await readFile(node, "utf8");
  const beta = /\s*<!--[^>]*-->\s*<domain type="test">\s*<name>beta<\/name>[\s\S]*?<\/domain>/;
  assert.match(xml, beta);
  await writeFile(node, xml.replace(beta, ""));
  await reconnect({ broken: true });
  await load();
  assert.equal(faults.problem(), undefined);
  assert.equal(faults.has("connection"), false);
});

test("an exception while building or publishing the view: logged once with its cause, degraded until a publication works", async (t) => {
  const dir = await tempDir(t);
  const { libvirt, lines } = source(t, dir);
  let failures = 3;
  let published: Identity[] = [];
  await libvirt.start({
    publish: (_id, identities) => {
      // As a listener of the inventory (the DNS writer) that throws would.
      if (failures-- > 0) throw new TypeError("view broke");
      published = [...identities];
    },
  });
  assert.equal(libvirt.health().ok, false);
  assert.match(libvirt.health().problem ?? "", /cannot publish the view of .*: view broke/);
  await eventually("a publication to work", () => published.length > 0);
  assert.equal(libvirt.health().ok, true);
  const publish = lines.filter((l) => l.fault === "publish");
  assert.equal(publish.filter((l) => l.level === WARN).length, 1, "logged once");
  assert.equal(publish.filter((l) => /^recovered/.test(l.msg)).length, 1);
  assert.ok(published.some((i) => i.address === ALPHA.ip));
});

test("libvirt's leases unreadable: logged once, the lease files still read, nothing piles up", async (t) => {
  const dir = await tempDir(t);
  const leaseFile = join(dir, "leases", "mds.leases");
  await mkdir(join(dir, "leases"));
  await writeFile(leaseFile, "0 52:54:00:00:99:99 10.9.9.9 x *\n");
  // The test driver says net-dhcp-leases is "not supported" (no leases); here it fails instead.
  const virsh = join(dir, "virsh-leases-broken");
  const stderr = `sed -u 's/not supported/broken on purpose/' >&2`;
  await writeFile(virsh, `#!/bin/bash\nexec virsh "$@" 2> >(exec ${stderr})\n`);
  await chmod(virsh, 0o755);
  const { libvirt, lines } = source(t, dir, { virsh });
  const published: Identity[][] = [];
  await libvirt.start({ publish: (_id, identities) => void published.push([...identities]) });
  for (let i = 0; i < 5; i++) await libvirt.refresh([]);
  assert.equal(warnings(lines, "leases:mds").length, 1, JSON.stringify(lines));
  assert.match(libvirt.health().problem ?? "", /leases of mds .*broken on purpose/);
  // Re-reading the same networks changes nothing: no second publication.
  assert.equal(published.length, 1);
  await writeFile(leaseFile, `0 ${ALPHA.mac} 127.0.0.99 alpha *\n`);
  await libvirt.refresh([]);
  const served = published.at(-1)?.find((i) => i.address === "127.0.0.99");
  assert.equal(served?.instance.name, ALPHA.name);
});
