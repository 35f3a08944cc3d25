/** One long-lived virsh, for real, against libvirt's test driver. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  VirshSession,
  VirshSessionError,
  type VirshOptions,
} from "../../src/inventory/libvirt/virsh-session.js";
import { ALPHA, FIXTURE_DOMAINS, FIXTURE_URI } from "../helpers/libvirt-fixture.js";

function session(t: { after(fn: () => Promise<void>): void }, options: Partial<VirshOptions> = {}) {
  const s = new VirshSession({ virsh: "virsh", uri: FIXTURE_URI, timeoutMs: 10_000, ...options });
  t.after(() => s.close());
  return s;
}

test("pipelined commands are answered in order, each with its own output and errors", async (t) => {
  const virsh = session(t);
  const commands = [
    "list --all --uuid",
    `dumpxml ${ALPHA.name}`,
    "dumpxml no-such-domain",
    `domuuid ${ALPHA.name}`,
  ];
  const [list, xml, missing, uuid] = await Promise.all(commands.map((c) => virsh.run(c)));
  assert.equal(list?.output.trim().split("\n").length, FIXTURE_DOMAINS);
  assert.deepEqual(list?.errors, []);
  assert.match(xml?.output ?? "", /^<domain type='test' id='\d+'>\n[\s\S]*<\/domain>\n$/);
  assert.equal(missing?.output, "");
  assert.deepEqual(missing?.errors, ["failed to get domain 'no-such-domain'"]);
  assert.equal(uuid?.output.trim(), ALPHA.uuid);
});

test("a batch: each command's own output; one that fails gets its own errors", async (t) => {
  const virsh = session(t);
  const commands = [`dumpxml ${ALPHA.name}`, "dumpxml no-such-domain", `domuuid ${ALPHA.name}`];
  const [xml, missing, uuid] = await virsh.runAll(commands);
  assert.match(xml?.output ?? "", /^<domain type='test' id='\d+'>\n[\s\S]*<\/domain>\n$/);
  assert.deepEqual(xml?.errors, []);
  assert.deepEqual(missing, { output: "", errors: ["failed to get domain 'no-such-domain'"] });
  assert.equal(uuid?.output, `${ALPHA.uuid}\n`);
});

test("hundreds of pipelined commands take one virsh, not one each", async (t) => {
  const virsh = session(t);
  const started = performance.now();
  const replies = await Promise.all(
    Array.from({ length: 300 }, () => virsh.run(`dumpxml ${ALPHA.name}`)),
  );
  const ms = performance.now() - started;
  assert.ok(replies.every((r) => r.output.includes(`<uuid>${ALPHA.uuid}</uuid>`)));
  // 300 virsh processes would take ~4 s or more (13 ms each at best).
  assert.ok(ms < 3000, `${ms} ms`);
});

test("a command that hangs times out, fails what waited behind it, and the next one works", async (t) => {
  const virsh = session(t, { timeoutMs: 300 });
  // With the test driver no event ever comes: this really blocks virsh.
  const hanging = virsh.run("event --loop --all");
  const behind = virsh.run("list --all --uuid");
  const timedOut = (e: unknown) =>
    e instanceof VirshSessionError &&
    /^virsh did not answer "event --loop --all" within 0.3 s$/.test(e.message);
  await assert.rejects(hanging, timedOut);
  await assert.rejects(behind, timedOut);
  const after = await virsh.run(`domuuid ${ALPHA.name}`);
  assert.equal(after.output.trim(), ALPHA.uuid);
});

test("virsh that cannot connect exits, and the session says why", async (t) => {
  const virsh = session(t, { uri: "test:///nonexistent/node.xml" });
  await assert.rejects(
    virsh.run("list --all --uuid"),
    (e: unknown) =>
      e instanceof VirshSessionError && /^virsh exited \(1\): .*failed to connect/.test(e.message),
  );
});

test("a virsh that does not exist is reported as such", async (t) => {
  const virsh = session(t, { virsh: "/nonexistent/virsh" });
  await assert.rejects(
    virsh.run("list"),
    (e: unknown) =>
      e instanceof VirshSessionError &&
      /^cannot run \/nonexistent\/virsh: (No such file or directory|.*ENOENT)/.test(e.message),
  );
});

test("after close, commands are refused", async (t) => {
  const virsh = session(t);
  await virsh.run("list --all --uuid");
  await virsh.close();
  await assert.rejects(
    virsh.run("list"),
    (e: unknown) => e instanceof VirshSessionError && e.message === "session closed",
  );
});
