/**
 * The NoCloud seed documents: meta-data (YAML) and network-config (network config version 2).
 * Values are written as JSON strings, which YAML reads as double-quoted scalars, so no key or
 * name can break the document.
 */
import { stringify } from "yaml";
import type { PublicKey } from "../../config/config.js";
import type { GuestLink } from "../guest-documents.js";

/** What meta-data says. NoCloud takes ssh keys only from here. */
export interface NoCloudMetaData {
  readonly instanceId: string;
  readonly hostname: string;
  readonly keys: readonly PublicKey[];
}

/** meta-data as YAML: instance-id, local-hostname and public-keys (left out when there are none). */
export function metaDataYaml({ instanceId, hostname, keys }: NoCloudMetaData): string {
  const lines = [
    `instance-id: ${JSON.stringify(instanceId)}`,
    `local-hostname: ${JSON.stringify(hostname)}`,
  ];
  if (keys.length > 0) {
    lines.push("public-keys:", ...keys.map(({ key }) => `  - ${JSON.stringify(key)}`));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * network-config (version 2, which is also netplan's): every link matched by its MAC, so the
 * guest's interface names do not matter. Undefined without links: an empty config would leave
 * the guest without a network.
 */
export function networkConfigYaml(links: readonly GuestLink[]): string | undefined {
  if (links.length === 0) return undefined;
  const lines = ["version: 2", "ethernets:"];
  links.forEach((link, index) => {
    lines.push(
      `  nic${index}:`,
      "    match:",
      `      macaddress: ${JSON.stringify(link.mac)}`,
      `    dhcp4: ${link.ipv4 === "dhcp"}`,
    );
  });
  return `${lines.join("\n")}\n`;
}

/** The keys meta-data sets itself: the meta-data part cannot replace them. */
const OWN_KEYS = new Set(["instance-id", "local-hostname", "public-keys"]);

/**
 * The meta-data part's keys as YAML to append to meta-data (cloud-init keeps them in its
 * instance data, where templates and jinja user-data read them); "" when there are none.
 */
export function extraMetaDataYaml(fields: Readonly<Record<string, unknown>>): string {
  const extra = Object.entries(fields).filter(([key]) => !OWN_KEYS.has(key));
  return extra.length === 0 ? "" : stringify(Object.fromEntries(extra));
}
