/**
 * Faults the libvirt source must live through, with real virsh and libvirt's test driver:
 * libvirt unreachable at start-up (and its return), virsh missing, XML that does not parse.
 * Each is logged once, reported by health(), and what is known keeps being served.
 */
import assert from "node:assert/strict";
import { chmod, copyFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
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
  assert.ok(libvirt.health().lastSuccess !== undefined);
  assert.equal(warnings(lines, "connection").length, 1, JSON.stringify(lines));
  assert.equal(lines.filter((l) => l.fault === "connection" && /^recovered/.test(l.msg)).length, 1);
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

test("a domain whose XML does not parse is left out; the others are served", async (t) => {
  const dir = await tempDir(t);
  // Real virsh, with beta's XML broken on its way out (each reply comes in one write).
  const wrapper = join(dir, "virsh-breaking-beta");
  await writeFile(
    wrapper,
    `#!/bin/sh
virsh "$@" | perl -e '$|=1; while (sysread(STDIN, $b, 65536)) { $b =~ s{<name>beta</name>}{<name>beta</nam>}g; syswrite(STDOUT, $b) }'
`,
  );
  await chmod(wrapper, 0o755);
  const { libvirt, lines } = source(t, dir, { virsh: wrapper });
  const server = await startTestServer(t, CONFIG, { sources: [libvirt, staticOne()] });
  assert.equal(await ask(server, ALPHA.ip), ALPHA.name);
  for (let i = 0; i < 3; i++) assert.equal(await ask(server, BETA.ip), 404);
  const fault = `domain:${BETA.uuid}`;
  assert.equal(warnings(lines, fault).length, 1);
  assert.match(libvirt.health().problem ?? "", /malformed XML/);
});
