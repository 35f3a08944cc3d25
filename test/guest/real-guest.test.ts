/**
 * A real Debian guest, built from Debian's packages as a vendor's cloud image is
 * (scripts/build-guest-image.sh), boots under software emulation on a real libvirtd and is
 * configured by mdserver: one boot per mode in which a guest can find mdserver. Each boot is
 * checked afterwards from the guest's disk (debugfs) and over ssh from the test's namespace:
 * cloud-init chose the intended datasource and read from 169.254.169.254, the hostname is set,
 * the key is installed and logs in, the user-data ran, mdserver logged the guest's fetches,
 * and (where the layout carries vendor-data) the guest's phone_home reported its host key.
 *
 * Not part of `npm test` (a cold run builds the image, each boot takes minutes under
 * emulation): run it with `npm run test:guest`, as root.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { run } from "../helpers/daemon.js";
import { eventually } from "../helpers/eventually.js";
import { Teardown } from "../helpers/teardown.js";
import { tempDir } from "../helpers/test-server.js";
import { bootGuest, consoleTail, type BootRun } from "./guest-boot.js";
import { guestDomainXml } from "./guest-domain.js";
import { explainBoot, readGuestFacts } from "./guest-facts.js";
import { mustReadGuestFile } from "./guest-disk.js";
import { MARKER_FILE, startGuestHost, type GuestHost } from "./guest-host.js";
import { copyForBoot, guestImage, type GuestImage } from "./guest-image.js";
import { DATASOURCE, setUpGuest, uuidFor, type GuestMode } from "./guest-setup.js";
import { makeSshKey, type SshKey } from "./guest-ssh.js";

/** The ds-identify name of each mode's datasource (first in the list it writes). */
const DS_IDENTIFY: Record<GuestMode, string> = {
  openstack: "OpenStack",
  nocloud: "NoCloud",
  ec2: "Ec2",
};

/** What mdserver must have served the guest: its user-data, in the mode's layout. */
const USERDATA_PATH: Record<GuestMode, RegExp> = {
  openstack: /^\/openstack\/[^/]+\/user_data$/,
  nocloud: /^\/nocloud\/user-data$/,
  ec2: /^\/[^/]+\/user-data$/,
};

const MODES: readonly GuestMode[] = ["openstack", "nocloud", "ec2"];
/**
 * Hard limits. The whole test, build included, ends within TEST_TIMEOUT_MS (its teardown then
 * runs). A cold build takes about 4 minutes (debootstrap, apt); a cached image is found at once.
 * A boot to power-off takes minutes under emulation, many more on a machine loaded by other
 * work (see the README); each boot gets BOOT_TIMEOUT_MS or what is left.
 */
const TEST_TIMEOUT_MS = 35 * 60_000;
const BUILD_TIMEOUT_MS = 12 * 60_000;
const BOOT_TIMEOUT_MS = 10 * 60_000;
/** Kept for the checks and the teardown after the last boot. */
const RESERVE_MS = 60_000;

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

test("a real Debian guest is configured by mdserver", { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const teardown = new Teardown(t);
  const dir = await tempDir(t, "mdserver-guest-");
  const started = Date.now();
  const deadline = started + TEST_TIMEOUT_MS - RESERVE_MS;
  const { image, built } = await guestImage(BUILD_TIMEOUT_MS);
  t.diagnostic(
    `image ${built ? "built" : "found in the cache"} in ${seconds(started)} s: ${image.dir}`,
  );
  const key = await makeSshKey(dir);
  const host = await startGuestHost(teardown, dir, key.publicKey);
  const id = randomBytes(2).toString("hex");
  for (const [index, mode] of MODES.entries()) {
    await t.test(`${mode}: boots, finds mdserver and is configured`, () =>
      bootAndCheck(t, {
        ...{ teardown, dir, image, key, host, mode, index },
        name: `mdsg-${mode}-${id}`,
        timeoutMs: Math.min(BOOT_TIMEOUT_MS, deadline - Date.now()),
      }),
    );
  }
  t.diagnostic(`total ${seconds(started)} s`);
});

interface Boot {
  readonly teardown: Teardown;
  readonly dir: string;
  readonly image: GuestImage;
  readonly key: SshKey;
  readonly host: GuestHost;
  readonly mode: GuestMode;
  readonly name: string;
  readonly index: number;
  readonly timeoutMs: number;
}

async function bootAndCheck(t: { diagnostic(message: string): void }, boot: Boot) {
  const { host, mode, name } = boot;
  const started = Date.now();
  const files = await copyForBoot(boot.image, boot.dir, name);
  const mac = `52:54:00:6d:64:${(0x10 + boot.index).toString(16)}`;
  const console = join(boot.dir, `${name}.console.log`);
  const xml = guestDomainXml({
    name,
    uuid: uuidFor(mode),
    mac,
    network: host.network,
    ...files,
    console,
  });
  await host.libvirt.defineDomain(boot.teardown, name, xml, false);
  t.diagnostic(`${mode}: ${(await setUpGuest(host.config, name, mode)).trim()}`);
  // Addresses are leased anew for each boot: only this boot's requests count.
  const logFrom = host.mdserver.lines.length;
  try {
    const seen = await bootGuest({
      libvirt: host.libvirt,
      ns: host.ns,
      name,
      mac,
      network: host.network,
      key: boot.key,
      sshCommand: `hostname; cat ${MARKER_FILE}; sudo -n true && echo sudo-ok`,
      console,
      timeoutMs: boot.timeoutMs,
    });
    t.diagnostic(
      `${mode}: lease after ${seen.leaseAfter ?? "-"} s, ssh after ${seen.sshAfter ?? "-"} s, ` +
        `off after ${seen.offAfter} s`,
    );
    try {
      await checkGuest(boot, files.root, seen, logFrom);
    } catch (error) {
      t.diagnostic(await explainBoot(files.root, await consoleTail(console)));
      throw error;
    }
  } finally {
    await keepOrRemove([files.root, console]);
  }
  t.diagnostic(`${mode}: boot and checks ${seconds(started)} s`);
}

/** The checks of one boot, from the guest's disk, ssh and mdserver's log. */
async function checkGuest(boot: Boot, root: string, seen: BootRun, logFrom: number) {
  const { host, mode, name } = boot;
  const facts = await readGuestFacts(root);
  const context = `cloud-init on ${name}:\n${facts.status}`;

  assert.equal(facts.datasourceList[0], DS_IDENTIFY[mode], `ds-identify's choice; ${context}`);
  assert.ok(
    facts.datasource.startsWith(DATASOURCE[mode]),
    `datasource ${facts.datasource}; ${context}`,
  );
  assert.deepEqual(facts.errors, [], context);
  assert.ok(
    facts.metadataReads.some((read) => read.status === 200),
    `cloud-init read nothing from 169.254.169.254; ${context}`,
  );
  assert.equal(facts.hostname, name, "the guest's /etc/hostname");
  assert.ok(facts.authorizedKeys?.includes(boot.key.publicKey), "the test key is authorized");
  assert.equal(facts.marker, host.marker, "the user-data's marker file");

  assert.ok(seen.address !== undefined, "the guest got a lease");
  assert.deepEqual(
    seen.ssh?.trim().split("\n"),
    [name, host.marker, "sudo-ok"],
    `ssh as the default user with the test key (${seen.sshError ?? "no error"})`,
  );

  const fetched = accessLog(host.mdserver.lines.slice(logFrom), seen.address);
  assert.ok(
    fetched.some((line) => line.status === 200 && USERDATA_PATH[mode].test(line.path)),
    `mdserver served ${name} its user-data; it logged for ${seen.address}:\n` +
      fetched.map((line) => `${line.status} ${line.path}`).join("\n"),
  );
  assert.ok(
    fetched.every((line) => line.instance === name || line.status === 404),
    "every answer to the guest's address was for the guest",
  );
  if (BOOT_REPORTS[mode]) await checkBootReport(host, root, name, seen.address);
}

/** Which layouts carry vendor-data, and so the phone_home that sends a boot report. */
const BOOT_REPORTS: Record<GuestMode, boolean> = { openstack: true, nocloud: true, ec2: false };

/**
 * cloud-init's phone_home, from the built-in vendor-data, reported the end of the boot with
 * the guest's real ssh host key (the one on its disk), and mdserver kept it in its state file.
 */
async function checkBootReport(host: GuestHost, root: string, name: string, address: string) {
  const hostKey = (await mustReadGuestFile(root, "/etc/ssh/ssh_host_ed25519_key.pub"))
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .join(" ");
  let reports: BootReportLine[] = [];
  // Reports are written to the file shortly after they arrive.
  await eventually(`${name}'s boot report in ${host.bootReports}`, async () => {
    const text = await readFile(host.bootReports, "utf8").catch(() => "{}");
    reports = ((JSON.parse(text) as { reports?: BootReportLine[] }).reports ?? []).filter(
      (r) => r.name === name,
    );
    return reports.length > 0;
  });
  const [report] = reports;
  assert.equal(report?.hostname, name, "the hostname the guest reported");
  assert.equal(report?.address, address, "the report came from the guest's address");
  assert.ok(
    report?.hostKeys.some((k) => `${k.type} ${k.key}` === hostKey),
    `the guest's ed25519 host key ${hostKey} in ${JSON.stringify(report?.hostKeys)}`,
  );
}

interface BootReportLine {
  readonly name: string;
  readonly hostname: string;
  readonly address: string;
  readonly hostKeys: ReadonlyArray<{ type: string; key: string }>;
}

/**
 * A boot's disk (2 GB, sparse) goes when it has been checked; with MDSERVER_GUEST_KEEP=DIR set,
 * it and the console log are moved to DIR to be looked at (debugfs, cloud-init analyze).
 */
async function keepOrRemove(files: readonly string[]): Promise<void> {
  const keep = process.env.MDSERVER_GUEST_KEEP;
  if (keep !== undefined && keep !== "") await mkdir(keep, { recursive: true });
  for (const file of files) {
    if (keep !== undefined && keep !== "") await run("mv", [file, keep], 120_000);
    else await rm(file, { force: true });
  }
}

interface AccessLine {
  readonly client: string;
  readonly instance?: string;
  readonly path: string;
  readonly status: number;
}

/** mdserver's access-log lines for requests from `client`. */
function accessLog(lines: readonly string[], client: string): AccessLine[] {
  return lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as AccessLine & { msg?: string };
      return parsed.msg === "request" && parsed.client === client ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
