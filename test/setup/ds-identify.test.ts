/**
 * Judged by cloud-init's ds-identify: guest-setup, run on libvirt's test driver within one
 * virsh session (the test driver keeps a change only for its connection), then the definition
 * read back in that session, turned into the DMI values a guest of it would see. For each
 * mode ds-identify must name that datasource, and nothing else; before set-up, nothing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { readDefinition, setUpDomain } from "../../src/setup/setup-domains.js";
import type { SetupMode } from "../../src/setup/setup-mode.js";
import { VirshShell } from "../../src/setup/virsh-shell.js";
import { ALPHA, FIXTURE_URI } from "../helpers/libvirt-fixture.js";
import { tempDir } from "../helpers/test-server.js";
import { writeFile } from "node:fs/promises";
import { dmiOf, dsIdentify } from "./helpers/ds-identify.js";
import { plainDomainXml } from "./helpers/domain-xml.js";

async function session(t: TestContext): Promise<{ shell: VirshShell; scratch: string }> {
  const shell = new VirshShell({
    virsh: "virsh",
    uri: FIXTURE_URI,
    timeoutMs: 10_000,
  });
  t.after(() => shell.close());
  return { shell, scratch: await tempDir(t) };
}

async function setUpAndIdentify(
  t: TestContext,
  shell: VirshShell,
  scratch: string,
  name: string,
  mode: SetupMode,
): Promise<string[]> {
  const outcome = await setUpDomain(shell, name, { mode, dryRun: false, scratch });
  assert.equal(outcome.ok, true, outcome.message);
  return dsIdentify(t, dmiOf(await readDefinition(shell, name)));
}

test("before set-up a libvirt guest has no datasource: cloud-init would stay off", async (t) => {
  const { shell } = await session(t);
  assert.deepEqual(await dsIdentify(t, dmiOf(await readDefinition(shell, ALPHA.name))), []);
});

test("openstack and nocloud set-ups are found as OpenStack and NoCloud, switching cleanly", async (t) => {
  const { shell, scratch } = await session(t);
  assert.deepEqual(await setUpAndIdentify(t, shell, scratch, ALPHA.name, "openstack"), [
    "OpenStack",
  ]);
  assert.deepEqual(await setUpAndIdentify(t, shell, scratch, ALPHA.name, "nocloud"), ["NoCloud"]);
  assert.deepEqual(await setUpAndIdentify(t, shell, scratch, ALPHA.name, "openstack"), [
    "OpenStack",
  ]);
});

test("ec2: a domain defined with an ec2 UUID, set up, is found as Ec2; others are refused", async (t) => {
  const { shell, scratch } = await session(t);
  const uuid = "ec2a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";
  const file = join(scratch, "new.xml");
  await writeFile(file, plainDomainXml("newguest", uuid, "52:54:00:00:00:41", "mds"));
  await shell.run(`define ${file}`);
  assert.deepEqual(
    await dsIdentify(t, dmiOf(await readDefinition(shell, "newguest"))),
    [],
    "the UUID alone is not enough",
  );
  assert.deepEqual(await setUpAndIdentify(t, shell, scratch, "newguest", "ec2"), ["Ec2"]);
  const refused = await setUpDomain(shell, ALPHA.name, { mode: "ec2", dryRun: false, scratch });
  assert.equal(refused.ok, false);
  assert.match(refused.message, /UUID starting with "ec2"/);
});
