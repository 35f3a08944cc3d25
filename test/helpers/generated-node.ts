/**
 * Large test-driver fixtures, generated when needed rather than committed: `count` running
 * domains on the network "mds", each with a reservation at its own loopback address.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** One generated guest. */
export interface GeneratedGuest {
  readonly name: string;
  /** Given in the XML: the test driver would invent one per connection otherwise. */
  readonly uuid: string;
  readonly mac: string;
  readonly ip: string;
}

/** The i-th guest (0-based; up to 62,500): 127.1.0.1, 127.1.0.2, … */
export function generatedGuest(i: number): GeneratedGuest {
  const hex = (n: number) => n.toString(16).padStart(2, "0");
  return {
    name: `vm${String(i).padStart(5, "0")}`,
    uuid: `6e6e6e6e-0000-4000-8000-${String(i).padStart(12, "0")}`,
    mac: `52:54:01:${hex((i >> 16) & 255)}:${hex((i >> 8) & 255)}:${hex(i & 255)}`,
    ip: `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
  };
}

/** Writes node.xml with `count` guests into `dir`; returns its test:// URI. */
export async function writeGeneratedNode(dir: string, count: number): Promise<string> {
  const guests = Array.from({ length: count }, (_, i) => generatedGuest(i));
  const hosts = guests.map((g) => `<host mac="${g.mac}" ip="${g.ip}"/>`).join("\n");
  const domains = guests.map(
    (g) => `<domain type="test"><name>${g.name}</name><uuid>${g.uuid}</uuid><memory>65536</memory>
<os><type arch="x86_64">hvm</type></os><devices><interface type="network">
<mac address="${g.mac}"/><source network="mds"/></interface></devices></domain>`,
  );
  const file = join(dir, `node-${count}.xml`);
  await writeFile(
    file,
    `<node>
<network><name>mds</name><bridge name="virbr-gen"/>
<ip address="127.0.0.1" netmask="255.0.0.0"><dhcp>
<range start="127.0.100.1" end="127.0.100.254"/>
${hosts}
</dhcp></ip></network>
${domains.join("\n")}
</node>
`,
  );
  return `test://${file}`;
}
