/** The validated, frozen configuration every other module reads. */
import type { AdminConfig } from "./sections/admin.js";
import type { DnsmasqConfig } from "./sections/dnsmasq.js";
import type { Ec2Config } from "./sections/ec2.js";
import type { InstanceSectionConfig } from "./sections/instance.js";
import type { LibvirtConfig } from "./sections/libvirt.js";
import type { MdserverConfig } from "./sections/mdserver.js";
import type { ServiceConfig } from "./sections/service.js";

/** An ssh public key from [public-keys], in file order (its position is its EC2 index). */
export interface PublicKey {
  readonly name: string;
  readonly key: string;
}

/** An instance declared in an [instance:NAME] section. */
export interface StaticInstanceConfig extends InstanceSectionConfig {
  readonly name: string;
}

export interface Config {
  /** The file this was read from (absolute). */
  readonly file: string;
  readonly mdserver: MdserverConfig;
  readonly publicKeys: readonly PublicKey[];
  readonly templateData: ReadonlyMap<string, string>;
  readonly service: ServiceConfig;
  readonly dnsmasq: DnsmasqConfig;
  readonly libvirt: LibvirtConfig;
  readonly ec2: Ec2Config;
  readonly admin: AdminConfig;
  readonly instances: readonly StaticInstanceConfig[];
}
