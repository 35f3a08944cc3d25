/** Domain XML for set-up tests: what guest-setup adds, taken out again for byte comparisons. */

/**
 * `xml` without the <sysinfo type='smbios'> element and the <smbios mode='sysinfo'/> line, as
 * libvirt writes them: what a domain that was not set up before must come back to.
 */
export function withoutSetup(xml: string): string {
  return xml
    .replace(/^ *<sysinfo type='smbios'>\n[\s\S]*?^ *<\/sysinfo>\n/m, "")
    .replace(/^ *<smbios mode='sysinfo'\/>\n/m, "");
}

/** A minimal persistent domain on `network` with `uuid`, for defining in a test. */
export function plainDomainXml(
  name: string,
  uuid: string,
  mac: string,
  network: string,
  type = "test",
): string {
  return `<domain type='${type}'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='MiB'>32</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>
    <interface type='network'><mac address='${mac}'/><source network='${network}'/></interface>
  </devices>
</domain>
`;
}
