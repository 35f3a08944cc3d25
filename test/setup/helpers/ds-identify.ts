/**
 * cloud-init's ds-identify (Debian's /usr/lib/cloud-init/ds-identify) run against the DMI
 * values a guest would see, in a fake root it reads them from (PATH_ROOT): which datasources
 * would cloud-init in a stock image run?
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { promisify } from "node:util";
import { XMLParser } from "fast-xml-parser";
import { tempDir } from "../../helpers/test-server.js";

const run = promisify(execFile);

/** The DMI values cloud-init reads, by their /sys/class/dmi/id file names. */
export interface Dmi {
  readonly product_uuid: string;
  readonly product_serial: string;
  readonly product_name: string;
  readonly sys_vendor: string;
  readonly chassis_asset_tag: string;
}

type Element = Record<string, unknown>;
const asList = (value: unknown): Element[] =>
  value === undefined ? [] : Array.isArray(value) ? (value as Element[]) : [value as Element];

/**
 * The DMI a qemu guest of `domainXml` sees: the domain UUID, and with <smbios mode='sysinfo'/>
 * the <sysinfo type='smbios'> system entries; otherwise qemu's own values.
 */
export function dmiOf(domainXml: string): Dmi {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    parseTagValue: false,
  });
  const domain = (parser.parse(domainXml) as { domain: Element }).domain;
  const os = domain.os as Element;
  const sysinfoMode = (os.smbios as Element | undefined)?.["@mode"] === "sysinfo";
  const smbios = asList(domain.sysinfo).find((s) => s["@type"] === "smbios");
  const entries = new Map<string, string>();
  for (const entry of asList((smbios?.system as Element | undefined)?.entry)) {
    entries.set(String(entry["@name"]), String(entry["#text"] ?? ""));
  }
  const value = (name: string, otherwise: string) =>
    sysinfoMode ? (entries.get(name) ?? otherwise) : otherwise;
  return {
    product_uuid: String(domain.uuid).trim(),
    product_serial: value("serial", ""),
    product_name: value("product", "Standard PC (Q35 + ICH9, 2009)"),
    sys_vendor: value("manufacturer", "QEMU"),
    chassis_asset_tag: "",
  };
}

/**
 * The datasource_list ds-identify writes for a KVM guest with `dmi` and a plain kernel command
 * line ([] when it finds nothing, which since cloud-init 25.1.4 switches cloud-init off).
 */
export async function dsIdentify(t: TestContext, dmi: Dmi): Promise<string[]> {
  const root = await tempDir(t, "mdserver-ds-identify-");
  const dmiDir = join(root, "sys/class/dmi/id");
  await mkdir(dmiDir, { recursive: true });
  for (const [name, value] of Object.entries(dmi))
    await writeFile(join(dmiDir, name), `${value}\n`);
  await mkdir(join(root, "proc"), { recursive: true });
  await writeFile(join(root, "proc/cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro\n");
  await mkdir(join(root, "etc/cloud"), { recursive: true });
  // What ds-identify asks the system: a KVM guest, and no labelled file systems (no cidata disk).
  const bin = join(root, "bin");
  await mkdir(bin);
  await writeFile(join(bin, "systemd-detect-virt"), "#!/bin/sh\necho kvm\n");
  await writeFile(join(bin, "blkid"), "#!/bin/sh\nexit 0\n");
  await chmod(join(bin, "systemd-detect-virt"), 0o755);
  await chmod(join(bin, "blkid"), 0o755);
  await run("/usr/lib/cloud-init/ds-identify", ["--force"], {
    env: {
      PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      PATH_ROOT: root,
      DI_LOG: "stderr",
    },
  }).catch((error: { code?: number }) => {
    // It exits 1 when it finds nothing; the result file says so too.
    if (error.code !== 1) throw error;
  });
  const cfg = await readFile(join(root, "run/cloud-init/cloud.cfg"), "utf8").catch(() => "");
  const list = /datasource_list:\s*\[([^\]]*)\]/.exec(cfg)?.[1] ?? "";
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "" && name !== "None");
}
