/**
 * Guests for the EC2 tests, beyond test/helpers/two-guests.ts: gamma (static, two addresses,
 * one of them IPv6, no MAC) and delta (as the libvirt source reports a guest: two NICs, an
 * architecture), with [ec2] values set to something other than the defaults.
 */
import type { Identity, Instance } from "../../../src/inventory/instance.js";
import { identitiesOf } from "../../../src/inventory/instance.js";
import type { InstanceSource } from "../../../src/inventory/source.js";
import { twoGuestsConfig } from "../../helpers/two-guests.js";

export const GAMMA = {
  name: "gamma",
  ip: "127.0.0.13",
  ipv6: "fd00::13",
  uuid: "0f0e0d0c-0b0a-4908-8706-050403020100",
  instanceId: "i-0f0e0d0c0b0a49088",
} as const;

export const DELTA = {
  name: "delta",
  ip: "127.0.0.14",
  secondIp: "127.0.0.24",
  mac: "52:54:00:00:00:14",
  secondMac: "52:54:00:00:01:14",
  secondNicIp: "127.0.0.34",
  ipv6: "fd00::14",
  uuid: "d4d4d4d4-0000-4000-8000-000000000014",
  instanceId: "i-d4d4d4d4000040008",
} as const;

/** [ec2] values that differ from every default. */
export const EC2_VALUES = {
  region: "eu-test-1",
  instance_type: "t3.small",
  ami_id: "ami-0123456789abcdef0",
  services_domain: "example.org",
  public_domain: "guests.example.org",
} as const;

/** alpha, beta and gamma as static guests, with `[ec2]` holding `ec2` (default: EC2_VALUES). */
export function ec2GuestsConfig(
  ec2: Record<string, string> = EC2_VALUES,
  mdserverExtra = "",
): string {
  const ec2Lines = Object.entries(ec2).map(([key, value]) => `${key} = ${value}`);
  return twoGuestsConfig(
    `
[instance:${GAMMA.name}]
ip = ${GAMMA.ip}, ${GAMMA.ipv6}
uuid = ${GAMMA.uuid}

[ec2]
${ec2Lines.join("\n")}
`,
    mdserverExtra,
  );
}

/** delta as a libvirt domain would be: two NICs, several addresses, an architecture. */
export const DELTA_INSTANCE: Instance = {
  name: DELTA.name,
  uuid: DELTA.uuid,
  architecture: "aarch64",
  source: "test",
  interfaces: [
    { mac: DELTA.mac, network: "mds", addresses: [DELTA.ip, DELTA.secondIp, DELTA.ipv6] },
    { mac: DELTA.secondMac, network: "other", addresses: [DELTA.secondNicIp] },
  ],
};

/** An instance source that publishes fixed instances once (a stand-in for libvirt). */
export function fixedSource(instances: readonly Instance[], id = "test"): InstanceSource {
  return {
    id,
    async start(sink) {
      sink.publish(
        id,
        instances.flatMap((i): Identity[] => identitiesOf(i)),
      );
    },
    async stop() {},
    health: () => ({ ok: true }),
  };
}
