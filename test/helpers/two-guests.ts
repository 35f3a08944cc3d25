/** A configuration with two static guests at distinct loopback addresses, shared by tests. */
export const ALPHA = {
  name: "alpha",
  ip: "127.0.0.11",
  mac: "52:54:00:00:00:11",
  uuid: "11111111-2222-4333-8444-555555555555",
  instanceId: "i-11111111222243338",
} as const;

export const BETA = {
  name: "beta",
  ip: "127.0.0.12",
  mac: "52:54:00:00:00:12",
  uuid: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
  instanceId: "i-aaaaaaaabbbb4ccc8",
} as const;

/** An address no instance has. */
export const STRANGER = "127.0.0.99";

export const KEYS = {
  default: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestKeyDefault admin@host",
  backup: "ssh-rsa AAAAB3NzaC1yc2EAAAADTestKeyBackup backup@host",
} as const;

/** Config text for alpha and beta; `extra` is appended (more sections or keys). */
export function twoGuestsConfig(extra = "", mdserverExtra = ""): string {
  return `[mdserver]
listen_address = 127.0.0.1
userdata_dir = userdata
logfile = -
instance_source = static
${mdserverExtra}

[public-keys]
default = ${KEYS.default}
backup = ${KEYS.backup}

[instance:${ALPHA.name}]
ip = ${ALPHA.ip}
mac = ${ALPHA.mac}
uuid = ${ALPHA.uuid}

[instance:${BETA.name}]
ip = ${BETA.ip}
mac = ${BETA.mac}
uuid = ${BETA.uuid}
${extra}
`;
}
