/**
 * What the guest's disk says after the boot, read with debugfs: what cloud-init decided and
 * did (the harvest unit's copy of /run/cloud-init, its log) and what a user would look at
 * (hostname, authorized keys, the user-data's marker file).
 */
import { MARKER_FILE } from "./guest-host.js";
import { mustReadGuestFile, readGuestFile } from "./guest-disk.js";
import { GUEST_USER } from "./guest-ssh.js";

/** One URL cloud-init fetched, as its log reports it. */
export interface MetadataRead {
  readonly url: string;
  readonly status: number;
}

/** The facts the test asserts on. */
export interface GuestFacts {
  /** ds-identify's choice (/run/cloud-init/cloud.cfg), e.g. ["Ec2", "None"]. */
  readonly datasourceList: readonly string[];
  /** The datasource cloud-init ended on and the errors of its stages (result.json). */
  readonly datasource: string;
  readonly errors: readonly string[];
  /** Every successful or failed fetch from the metadata address (cloud-init.log). */
  readonly metadataReads: readonly MetadataRead[];
  readonly hostname: string | undefined;
  readonly authorizedKeys: string | undefined;
  readonly marker: string | undefined;
  /** `cloud-init status --long` and failed units, for messages. */
  readonly status: string;
}

const HARVEST = "/var/lib/mdserver-test";

/** Reads the facts from the (powered-off) guest's root image. */
export async function readGuestFacts(image: string): Promise<GuestFacts> {
  await mustReadGuestFile(image, `${HARVEST}/done`);
  const cloudCfg = await mustReadGuestFile(image, `${HARVEST}/run-cloud-init/cloud.cfg`);
  // /run/cloud-init/result.json is a link to this file.
  const result = JSON.parse(await mustReadGuestFile(image, "/var/lib/cloud/data/result.json")) as {
    v1: { datasource: string | null; errors: string[] };
  };
  const log = await mustReadGuestFile(image, "/var/log/cloud-init.log");
  const status = [
    await readGuestFile(image, `${HARVEST}/cloud-init-status`),
    await readGuestFile(image, `${HARVEST}/failed-units`),
  ].join("\n");
  return {
    datasourceList: parseDatasourceList(cloudCfg),
    datasource: result.v1.datasource ?? "(none)",
    errors: result.v1.errors,
    metadataReads: parseMetadataReads(log),
    hostname: (await readGuestFile(image, "/etc/hostname"))?.trim(),
    authorizedKeys: await readGuestFile(image, `/home/${GUEST_USER}/.ssh/authorized_keys`),
    marker: (await readGuestFile(image, MARKER_FILE))?.trim(),
    status,
  };
}

/** `datasource_list: [ Ec2, None ]` as ds-identify writes it. */
export function parseDatasourceList(cloudCfg: string): string[] {
  const list = /^datasource_list:\s*\[([^\]]*)\]/m.exec(cloudCfg)?.[1] ?? "";
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/** cloud-init's url_helper lines: "Read from URL (200, 19b) after 1 attempts". */
export function parseMetadataReads(log: string): MetadataRead[] {
  const reads: MetadataRead[] = [];
  for (const match of log.matchAll(/Read from (http:\/\/169\.254\.169\.254\/\S*) \((\d+),/g)) {
    reads.push({ url: match[1] ?? "", status: Number(match[2]) });
  }
  return reads;
}

/**
 * What went wrong, for a failing boot: the serial console's last lines, ds-identify's log and
 * cloud-init's warnings, errors and tracebacks (whatever of them the disk has).
 */
export async function explainBoot(image: string, consoleTail: string): Promise<string> {
  const dsIdentify = await readGuestFile(image, `${HARVEST}/run-cloud-init/ds-identify.log`);
  const log = (await readGuestFile(image, "/var/log/cloud-init.log")) ?? "(no cloud-init.log)";
  const problems = log
    .split("\n")
    .filter((line) => /WARNING|ERROR|Traceback|Error:|^\s/.test(line))
    .slice(-80);
  return [
    `console:\n${consoleTail}`,
    `ds-identify.log:\n${dsIdentify ?? "(none)"}`,
    `cloud-init.log warnings and errors:\n${problems.join("\n")}`,
  ].join("\n\n");
}
