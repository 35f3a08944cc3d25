import assert from "node:assert/strict";
import { test } from "node:test";
import type { Config } from "../config/config.js";
import { parseDomainMetadata, MDS_NAMESPACE } from "../inventory/domain-metadata.js";
import type { Identity } from "../inventory/instance.js";
import { guestValues } from "./guest-values.js";

const config = {
  publicKeys: [{ name: "default", key: "ssh-ed25519 AAAA k" }],
  templateData: new Map([
    ["site", "lab"],
    ["network", "from template-data"],
    ["hostname", "never"],
  ]),
  mdserver: { password: "$6$hash" },
} as unknown as Config;

const identity: Identity = {
  address: "10.0.0.2",
  mac: "52:54:00:00:00:02",
  instance: {
    name: "web1",
    uuid: "11111111-2222-4333-8444-555555555555",
    source: "t",
    interfaces: [
      { mac: "52:54:00:00:00:01", network: "other", addresses: ["10.1.0.1"] },
      { mac: "52:54:00:00:00:02", network: "mds", addresses: ["10.0.0.2", "fd00::2"] },
    ],
  },
};

test("the original's values, the guest's, the domain's; template-data keeps its names", () => {
  const domain = parseDomainMetadata(
    `<metadata><m:i xmlns:m="${MDS_NAMESPACE}"><m:value name="role">web</m:value><m:value name="site">dc2</m:value><m:value name="hostname">x</m:value><m:tag name="Env">prod</m:tag></m:i></metadata>`,
  );
  const values = Object.fromEntries(guestValues(config, identity, domain, "i-1111"));
  assert.deepEqual(values, {
    hostname: "web1",
    public_key_default: "ssh-ed25519 AAAA k",
    mdserver_password: "$6$hash",
    role: "web",
    site: "dc2",
    network: "from template-data",
    name: "web1",
    uuid: "11111111-2222-4333-8444-555555555555",
    instance_id: "i-1111",
    address: "10.0.0.2",
    addresses: ["10.1.0.1", "10.0.0.2", "fd00::2"],
    mac: "52:54:00:00:00:02",
    macs: ["52:54:00:00:00:01", "52:54:00:00:00:02"],
    public_keys: { default: "ssh-ed25519 AAAA k" },
    tags: { Env: "prod" },
  });
});
