/** Values derived from an identity and the [ec2] config that several EC2 documents share. */
import type { Config } from "../../config/config.js";
import { isIPv4 } from "../../util/address.js";
import type { Identity } from "../../inventory/instance.js";

/** The configured availability zone, or the region with "a" appended. */
export function availabilityZone(config: Config): string {
  return config.ec2.availability_zone ?? `${config.ec2.region}a`;
}

/** The IPv4 address the guest asked from, else the first IPv4 address it has. */
export function primaryIPv4(identity: Identity): string | undefined {
  if (isIPv4(identity.address)) return identity.address;
  return identity.instance.interfaces.flatMap((i) => i.addresses).find(isIPv4);
}

/** The IPv6 address the guest asked from, else the first IPv6 address it has. */
export function primaryIPv6(identity: Identity): string | undefined {
  if (!isIPv4(identity.address)) return identity.address;
  return identity.instance.interfaces.flatMap((i) => i.addresses).find((a) => !isIPv4(a));
}

/** Node's names for the host's CPU, as libvirt and EC2 name them. */
const ARCHITECTURES: Readonly<Record<string, string>> = {
  x64: "x86_64",
  arm64: "aarch64",
  ia32: "i686",
  ppc64: "ppc64le",
  s390x: "s390x",
  riscv64: "riscv64",
};

/**
 * The guest's architecture as libvirt reported it; otherwise the host's, since a KVM guest
 * runs on the host's CPU.
 */
export function architecture(identity: Identity): string {
  return identity.instance.architecture ?? ARCHITECTURES[process.arch] ?? process.arch;
}

/**
 * r- and 17 hex digits from the end of the instance UUID: stable like the instance-id, and
 * unlike it in form, as on EC2 (ec2-metadata and inventory tools read reservation-id).
 */
export function reservationId(identity: Identity): string {
  return `r-${identity.instance.uuid.replace(/-/g, "").slice(-17)}`;
}
