/**
 * The domain XML edit behind `mdserver guest-setup`: SMBIOS system entries in
 * <sysinfo type='smbios'> and <smbios mode='sysinfo'/> under <os>, nothing else. Pure, and
 * idempotent: set-up XML comes back unchanged, which is also how "is it set up?" is answered.
 */
import { SetupError } from "./setup-error.js";
import { appendChild, insertBefore, removeElement, replaceText } from "./xml-edit.js";
import { smbiosPlan, isEc2Uuid, type SetupMode, type SystemEntry } from "./setup-mode.js";
import {
  attributeOf,
  childrenOf,
  escapeXml,
  rootElement,
  textOf,
  type XmlSpan,
} from "./xml-text.js";

/** The domain's UUID, lower case. */
export function domainUuid(xml: string): string {
  const domain = rootElement(xml, "domain");
  const uuid = childrenOf(xml, domain).find((c) => c.name === "uuid");
  if (uuid === undefined) throw new SetupError("the domain has no <uuid>");
  return textOf(xml, uuid).toLowerCase();
}

/** `xml` set up for `mode`; the same string when it already is. Throws SetupError. */
export function setUpDomainXml(xml: string, mode: SetupMode): string {
  const uuid = domainUuid(xml);
  if (mode === "ec2" && !isEc2Uuid(uuid)) {
    throw new SetupError(
      `Ec2 needs a domain UUID starting with "ec2" (this one is ${uuid}), and a UUID cannot be changed: use --mode openstack or nocloud, or create the guest with virt-install --uuid ec2…`,
    );
  }
  const plan = smbiosPlan(mode, uuid);
  let out = xml;
  for (const [entry, stale] of plan.remove) {
    const found = systemEntry(out, entry);
    if (found !== undefined && stale(textOf(out, found))) out = removeElement(out, found);
  }
  for (const [entry, value] of plan.set) out = setSystemEntry(out, entry, value);
  return ensureSmbiosSysinfo(out);
}

/** True when `xml` is already set up for `mode` (false where the mode cannot apply). */
export function isSetUp(xml: string, mode: SetupMode): boolean {
  // Most domains of a host not set up lack the one mark every mode needs: no need to look.
  if (!/<smbios\s+mode=["']sysinfo["']/.test(xml)) return false;
  try {
    return setUpDomainXml(xml, mode) === xml;
  } catch (error) {
    if (error instanceof SetupError) return false;
    throw error;
  }
}

function domainChild(xml: string, name: string, attribute?: [string, string]): XmlSpan | undefined {
  const domain = rootElement(xml, "domain");
  return childrenOf(xml, domain).find(
    (c) => c.name === name && (!attribute || attributeOf(c, attribute[0]) === attribute[1]),
  );
}

function smbiosSysinfo(xml: string): XmlSpan | undefined {
  return domainChild(xml, "sysinfo", ["type", "smbios"]);
}

function systemTable(xml: string): XmlSpan | undefined {
  const sysinfo = smbiosSysinfo(xml);
  return sysinfo && childrenOf(xml, sysinfo).find((c) => c.name === "system");
}

function systemEntry(xml: string, entry: SystemEntry): XmlSpan | undefined {
  const system = systemTable(xml);
  return system && childrenOf(xml, system).find((c) => attributeOf(c, "name") === entry);
}

function setSystemEntry(xml: string, entry: SystemEntry, value: string): string {
  const found = systemEntry(xml, entry);
  if (found !== undefined)
    return textOf(xml, found) === value ? xml : replaceText(xml, found, value);
  const line = `<entry name='${entry}'>${escapeXml(value)}</entry>`;
  const sysinfo = smbiosSysinfo(xml);
  const system = systemTable(xml);
  // An empty <system/> or <sysinfo/> is dropped and written anew with the entry in it.
  const empty = [system, sysinfo].find((span) => span && span.closeStart === span.end);
  if (empty !== undefined) return setSystemEntry(removeElement(xml, empty), entry, value);
  if (system !== undefined) return appendChild(xml, system, [line]);
  if (sysinfo !== undefined)
    return appendChild(xml, sysinfo, ["<system>", `  ${line}`, "</system>"]);
  const block = [
    "<sysinfo type='smbios'>",
    "  <system>",
    `    ${line}`,
    "  </system>",
    "</sysinfo>",
  ];
  // libvirt writes <sysinfo> just before <os>; after a define it puts it there anyway.
  const domain = rootElement(xml, "domain");
  const os = domainChild(xml, "os");
  return os === undefined ? appendChild(xml, domain, block) : insertBefore(xml, domain, os, block);
}

/** <os> gets <smbios mode='sysinfo'/>, or its <smbios> is switched to that mode. */
function ensureSmbiosSysinfo(xml: string): string {
  const os = domainChild(xml, "os");
  if (os === undefined || os.closeStart === os.end) {
    throw new SetupError("the domain has no <os> element to add <smbios mode='sysinfo'/> to");
  }
  const smbios = childrenOf(xml, os).find((c) => c.name === "smbios");
  if (smbios === undefined) return appendChild(xml, os, ["<smbios mode='sysinfo'/>"]);
  if (attributeOf(smbios, "mode") === "sysinfo") return xml;
  return `${xml.slice(0, smbios.start)}<smbios mode='sysinfo'/>${xml.slice(smbios.end)}`;
}
