/** Instances declared in the config file ([instance:NAME] sections): no libvirt needed. */
import { createHash } from "node:crypto";
import type { StaticInstanceConfig } from "../../config/config.js";
import { canonicalAddress } from "../address.js";
import { identitiesOf, type Instance } from "../instance.js";
import type { InstanceSource, InventorySink, SourceHealth } from "../source.js";

export class StaticSource implements InstanceSource {
  readonly id = "static";
  private readonly instances: readonly Instance[];

  constructor(declared: readonly StaticInstanceConfig[]) {
    this.instances = declared.map(toInstance);
  }

  async start(sink: InventorySink): Promise<void> {
    sink.publish(this.id, this.instances.flatMap(identitiesOf));
  }

  async stop(): Promise<void> {}

  health(): SourceHealth {
    return { ok: true };
  }
}

function toInstance(declared: StaticInstanceConfig): Instance {
  const addresses = declared.ip.map((ip) => canonicalAddress(ip) ?? ip);
  return {
    name: declared.name,
    uuid: declared.uuid ?? nameBasedUuid(declared.name),
    interfaces: [{ mac: declared.mac, network: declared.network, addresses }],
    source: "static",
  };
}

/**
 * A UUID derived from the instance name (RFC 4122 version 5 layout over SHA-1), so an
 * instance declared without one still keeps the same instance-id across restarts.
 */
export function nameBasedUuid(name: string): string {
  const hash = createHash("sha1").update(`mdserver-static-instance:${name}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
