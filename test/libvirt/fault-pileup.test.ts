/**
 * Faults cannot pile up: libvirt's test driver with 2,000 domains, read through a virsh after
 * which libvirt goes away (every virsh fails, or hangs) part-way through the first load. While
 * it is away, at most one virsh runs and new ones start only as the backoff allows (commands
 * queued for a dead one are dropped, not drained through new ones); once it is back, every
 * guest is served within one backoff step and one full load.
 */
import assert from "node:assert/strict";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { LibvirtSource } from "../../src/inventory/libvirt/libvirt-source.js";
import { eventually } from "../helpers/eventually.js";
import { writeGeneratedNode } from "../helpers/generated-node.js";
import { recordingLogger, WARN } from "../helpers/recording-logger.js";
import { tempDir } from "../helpers/test-server.js";
import { virshUnder } from "./virsh-processes.js";

const DOMAINS = 2000;
const BACKOFF = { initialMs: 200, maxMs: 800 };

/**
 * virsh that works until it has sent 500 domain replies while `dir`/mode holds "fail" or
 * "hang"; from then on libvirt is away: that virsh and every later one fails (cannot connect)
 * or hangs (answers nothing). Every start is counted in `dir`/starts. Each piece dies with
 * the wrapper (parent-death signal), as a killed virsh would.
 */
async function flakyVirsh(dir: string): Promise<string> {
  const wrapper = join(dir, "virsh-flaky");
  const pdeath = "setpriv --pdeathsig KILL --";
  await writeFile(
    wrapper,
    `#!/bin/sh
echo >> '${dir}/starts'
mode=$(cat '${dir}/mode' 2>/dev/null)
[ -n "$mode" ] || exec virsh "$@"
if [ -e '${dir}/cut' ]; then
  [ "$mode" = fail ] && exec virsh -q -r -c test:///nonexistent/node.xml
  ${pdeath} virsh "$@" | ${pdeath} perl -e 'sleep 3600'
  exit 1
fi
${pdeath} virsh "$@" | ${pdeath} perl -e '
  my $n = 0;
  while (sysread(STDIN, my $chunk, 65536)) {
    $n += () = $chunk =~ m{</domain>}g;
    if ($n >= 500) { open(my $f, ">", "${dir}/cut"); exit 1 if $ARGV[0] eq "fail"; sleep 3600 }
    syswrite(STDOUT, $chunk);
  }' "$mode"
`,
  );
  await chmod(wrapper, 0o755);
  return wrapper;
}

async function source(t: TestContext, dir: string, uri: string, timeoutMs: number) {
  const { log, lines } = recordingLogger();
  let served = 0;
  const libvirt = new LibvirtSource({
    uri,
    virsh: await flakyVirsh(dir),
    timeoutMs,
    networks: ["mds"],
    baseDir: dir,
    refreshIntervalMs: 0,
    watch: true,
    log,
    backoff: BACKOFF,
  });
  t.after(() => libvirt.stop());
  const started = performance.now();
  await libvirt.start({ publish: (_id, identities) => (served = [...identities].length) });
  return { libvirt, lines, served: () => served, ms: performance.now() - started };
}

for (const mode of ["fail", "hang"] as const) {
  test(`virsh that ${mode}s part-way through a load of ${DOMAINS} domains: one virsh at a time, recovered after a backoff step and a load`, async (t) => {
    const dir = await tempDir(t);
    const uri = await writeGeneratedNode(dir, DOMAINS);
    const healthy = await source(t, dir, uri, 60_000);
    assert.equal(healthy.served(), DOMAINS);
    const load = healthy.ms;
    await healthy.libvirt.stop();

    await writeFile(join(dir, "mode"), mode);
    await rm(join(dir, "starts"), { force: true });
    // A hung read is given up after the time-out: long enough for a healthy virsh to connect.
    const timeoutMs = mode === "hang" ? Math.max(3000, 2 * load) : 60_000;
    const { libvirt, lines, served } = await source(t, dir, uri, timeoutMs);
    assert.equal(libvirt.health().ok, false);
    const watchMs = mode === "hang" ? 2 * timeoutMs : 4000;
    let most = 0;
    for (const end = Date.now() + watchMs; Date.now() < end;) {
      most = Math.max(most, virshUnder(process.pid).length);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const starts = (await readFile(join(dir, "starts"), "utf8")).length;
    assert.ok(most <= 1, `${most} virsh at once`);
    // A try per backoff step at most (each a load cut short), not a virsh per queued batch.
    assert.ok(starts <= 2 + watchMs / BACKOFF.initialMs, `${starts} virsh started`);
    assert.equal(served(), 0);

    await rm(join(dir, "mode"));
    await rm(join(dir, "cut"));
    const back = performance.now();
    await eventually("every guest to be served", () => served() === DOMAINS, {
      timeoutMs: 120_000,
    });
    const recovery = performance.now() - back;
    // One backoff step and one load (a hung read may first have to time out), with room for
    // a busy machine.
    const bound = (mode === "hang" ? timeoutMs : 0) + BACKOFF.maxMs + 2 * load + 3000;
    assert.ok(
      recovery <= bound,
      `recovered in ${Math.round(recovery)} ms; a load took ${Math.round(load)} ms`,
    );
    assert.equal(libvirt.health().ok, true);
    const connection = lines.filter((l) => l.fault === "connection");
    assert.equal(connection.filter((l) => l.level === WARN).length, 1, "logged once");
    assert.equal(connection.filter((l) => /^recovered/.test(l.msg)).length, 1);
  });
}
