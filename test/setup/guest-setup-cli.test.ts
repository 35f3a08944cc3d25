/**
 * guest-setup and network-setup as commands, on libvirt's test driver: what they print, their
 * exit codes, --dry-run, --all, idempotence within one session and the byte-identical rest of
 * the definition. And `mdserver list`'s warnings about guests that will never ask.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { readDefinition, setUpDomain } from "../../src/setup/setup-domains.js";
import { VirshShell } from "../../src/setup/virsh-shell.js";
import { runCli } from "../helpers/cli.js";
import { ALPHA, FIXTURE_URI, GAMMA } from "../helpers/libvirt-fixture.js";
import { tempDir, writeFiles } from "../helpers/test-server.js";
import { withoutSetup } from "./helpers/domain-xml.js";

async function configFile(t: TestContext, mdserverExtra = ""): Promise<string> {
  const dir = await tempDir(t);
  await writeFiles(dir, {
    "mdserver.conf": `[mdserver]\nlogfile = -\nuserdata_dir = .\n${mdserverExtra}\n[libvirt]\nuri = ${FIXTURE_URI}\n[dnsmasq]\nnet_name = mds\nbase_dir = .\n`,
  });
  return join(dir, "mdserver.conf");
}

test("one session: set up, read back byte-identical but for the set-up, then nothing to do", async (t) => {
  const shell = new VirshShell({
    virsh: "virsh",
    uri: FIXTURE_URI,
    timeoutMs: 10_000,
  });
  t.after(() => shell.close());
  const scratch = await tempDir(t);
  const before = await readDefinition(shell, ALPHA.name);
  const options = { mode: "openstack", dryRun: false, scratch } as const;
  const first = await setUpDomain(shell, ALPHA.name, options);
  assert.equal(first.changed, true, first.message);
  assert.match(first.message, /takes effect when it is next started/, "alpha runs");
  const after = await readDefinition(shell, ALPHA.name);
  assert.notEqual(after, before);
  assert.match(after, /<entry name='product'>OpenStack Nova<\/entry>/);
  assert.equal(withoutSetup(after), before, "every other byte of the definition is as it was");
  const second = await setUpDomain(shell, ALPHA.name, options);
  assert.deepEqual(
    [second.ok, second.changed, second.message],
    [true, false, "already set up for openstack"],
  );
  assert.equal(await readDefinition(shell, ALPHA.name), after);
});

test("guest-setup --all sets up the served networks' domains; --dry-run shows a diff", async (t) => {
  const config = await configFile(t);
  const all = await runCli(["guest-setup", "--config", config, "--all"]);
  assert.equal(all.code, 0, all.stderr);
  const names = all.stdout
    .trim()
    .split("\n")
    .map((line) => line.split(":")[0]);
  assert.deepEqual(names, ["alpha", "beta", "delta", "epsilon", "twin-a", "twin-b", "zeta"]);
  assert.ok(!names.includes(GAMMA.name), "gamma is on another network");
  assert.match(all.stdout, /^epsilon: set up for openstack$/m, "shut off: nothing more to say");
  const dry = await runCli([
    "guest-setup",
    "-c",
    config,
    "--dry-run",
    "--mode",
    "nocloud",
    "alpha",
  ]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(
    dry.stdout,
    /^alpha: would be set up for nocloud\n--- alpha \(now\)\n\+\+\+ alpha \(set up\)\n@@/,
  );
  assert.match(
    dry.stdout,
    /^\+ {6}<entry name='serial'>ds=nocloud-net;s=http:\/\/169\.254\.169\.254\/nocloud\/<\/entry>$/m,
  );
  assert.match(dry.stdout, /^\+ {4}<smbios mode='sysinfo'\/>$/m);
});

test("guest-setup refuses what it cannot do, and says why", async (t) => {
  const config = await configFile(t);
  const ec2 = await runCli(["guest-setup", "-c", config, "--mode", "ec2", "alpha"]);
  assert.equal(ec2.code, 1);
  assert.match(
    ec2.stderr,
    /mdserver guest-setup: alpha: Ec2 needs a domain UUID starting with "ec2"/,
  );
  const missing = await runCli(["guest-setup", "-c", config, "alpha", "nosuch"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /^alpha: set up for openstack/m, "the others are still done");
  assert.match(missing.stderr, /nosuch: failed to get domain 'nosuch'/);
  const badMode = await runCli(["guest-setup", "-c", config, "--mode", "xen", "alpha"]);
  assert.equal(badMode.code, 64);
  assert.match(badMode.stderr, /--mode must be one of openstack, nocloud, ec2/);
  const away = await runCli([
    "guest-setup",
    "-c",
    config,
    "--connect",
    "test:///nonexistent/node.xml",
    "--all",
  ]);
  assert.equal(away.code, 1);
  assert.match(
    away.stderr,
    /^mdserver guest-setup: test:\/\/\/nonexistent\/node\.xml: virsh exited \(1\): .*failed to connect to the hypervisor/m,
  );
  assert.doesNotMatch(away.stderr, /\bat \w/, "one line, no stack");
  const nothing = await runCli(["guest-setup", "-c", config]);
  assert.equal(nothing.code, 64);
  const none = await runCli([
    "guest-setup",
    "-c",
    await configFile(t, "guest_setup = none"),
    "alpha",
  ]);
  assert.equal(none.code, 64, "guest_setup = none and no --mode: nothing to set up");
});

test("network-setup: the test driver has no dnsmasq options, and the check says so", async (t) => {
  const config = await configFile(t);
  const dry = await runCli(["network-setup", "-c", config, "--dry-run", "mds"]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^mds: would route 169\.254\.169\.254\/32 via 127\.0\.0\.1\n/);
  assert.match(
    dry.stdout,
    /^\+<network xmlns:dnsmasq='http:\/\/libvirt\.org\/schemas\/network\/dnsmasq\/1\.0'>$/m,
  );
  // Its definition is read back and checked: a driver that drops the option is not "done".
  const real = await runCli(["network-setup", "-c", config, "mds"]);
  assert.equal(real.code, 1);
  assert.match(real.stderr, /mds: libvirt accepted the definition but did not keep the route/);
});

test("mdserver list warns about an isolated network without a route and domains not set up", async (t) => {
  const listed = await runCli(["list", "-c", await configFile(t)]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(
    listed.stderr,
    /warning: network mds is isolated and its guests have no route to 169\.254\.169\.254: run "mdserver network-setup mds"/,
  );
  assert.match(listed.stderr, /warning: domain alpha is not set up for openstack \(guest_setup\)/);
  assert.doesNotMatch(listed.stderr, /domain gamma/, "not on a served network");
  const quiet = await runCli(["list", "-c", await configFile(t, "guest_setup = none")]);
  assert.doesNotMatch(quiet.stderr, /not set up/);
});
