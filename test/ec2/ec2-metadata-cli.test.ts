/**
 * Judged by ec2-metadata (Debian's amazon-ec2-utils): a curl script with 169.254.169.254
 * hard-coded that always does the IMDSv2 token dance. It runs in a network namespace of the
 * test's own where that address is mdserver's; two guests are told apart by the source
 * address the kernel picks for the metadata address, switched between runs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ALPHA, BETA, KEYS } from "../helpers/two-guests.js";
import { EC2_VALUES } from "./helpers/ec2-guests.js";
import { startInNamespace } from "../helpers/mdserver-in-netns.js";

const METADATA = "169.254.169.254";
const ALPHA_IP = "169.254.0.11";
const BETA_IP = "169.254.0.12";

const CONFIG = `[mdserver]
listen_address = ${METADATA}
port = 80
logfile = -
instance_source = static
userdata_dir = userdata

[public-keys]
default = ${KEYS.default}
backup = ${KEYS.backup}

[instance:alpha]
ip = ${ALPHA_IP}
mac = ${ALPHA.mac}
uuid = ${ALPHA.uuid}

[instance:beta]
ip = ${BETA_IP}
mac = ${BETA.mac}
uuid = ${BETA.uuid}

[ec2]
${Object.entries(EC2_VALUES)
  .map(([key, value]) => `${key} = ${value}`)
  .join("\n")}
require_token = yes
`;

test("ec2-metadata reads each guest's values at 169.254.169.254", async (t) => {
  const ns = await startInNamespace(t, {
    addresses: [`${METADATA}/32`, `${ALPHA_IP}/32`, `${BETA_IP}/32`],
    config: CONFIG,
    files: { "userdata/alpha.yaml": "#cloud-config\nhostname: {{hostname}}\n" },
  });

  await ns.sourceFor(METADATA, ALPHA_IP);
  const all = await ns.exec("ec2-metadata", ["--all"]);
  assert.equal(
    all,
    `ami-id: ${EC2_VALUES.ami_id}
ami-launch-index: 0
ami-manifest-path: not available
ancestor-ami-ids: not available
block-device-mapping: 
not available
instance-id: ${ALPHA.instanceId}
instance-type: ${EC2_VALUES.instance_type}
local-hostname: alpha
local-ipv4: ${ALPHA_IP}
kernel-id: not available
placement: eu-test-1a
product-codes: not available
public-hostname: alpha.${EC2_VALUES.public_domain}
public-ipv4: not available
public-keys: 
keyname:default
index:0
format:openssh-key
key:(begins from next line)
${KEYS.default}
keyname:backup
index:1
format:openssh-key
key:(begins from next line)
${KEYS.backup}
ramdisk-id: not available
reservation-id: r-38444555555555555
security-groups: not available
user-data: #cloud-config
hostname: alpha
tags: 
not available
`,
  );

  await ns.sourceFor(METADATA, BETA_IP);
  const beta = await ns.exec("ec2-metadata", ["-i", "-h", "-o", "-z", "-e"]);
  assert.equal(
    beta,
    `instance-id: ${BETA.instanceId}
local-hostname: beta
local-ipv4: ${BETA_IP}
placement: eu-test-1a
reservation-id: r-c8dddeeeeeeeeeeee
`,
  );
});
