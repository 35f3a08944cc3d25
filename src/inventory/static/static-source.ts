/** Instances declared in the config file ([instance:NAME] sections): no libvirt needed. */
import type { StaticInstanceConfig } from "../../config/config.js";
import { identitiesOf, type Instance } from "../instance.js";
import { nameBasedUuid } from "../name-based-uuid.js";
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
  return {
    name: declared.name,
    uuid: declared.uuid ?? nameBasedUuid(declared.name),
    interfaces: [{ mac: declared.mac, network: declared.network, addresses: declared.ip }],
    source: "static",
  };
}
