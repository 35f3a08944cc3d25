import assert from "node:assert/strict";
import { test } from "node:test";
import { metaDataYaml, networkConfigYaml } from "./nocloud-documents.js";

test("meta-data quotes every value, so no key or name can break the YAML", () => {
  const yaml = metaDataYaml({
    instanceId: "i-0123",
    hostname: "web: 1 # not a comment",
    keys: [{ name: "k", key: 'ssh-ed25519 AAAA "quoted" \\ back' }],
  });
  assert.equal(
    yaml,
    'instance-id: "i-0123"\nlocal-hostname: "web: 1 # not a comment"\npublic-keys:\n  - "ssh-ed25519 AAAA \\"quoted\\" \\\\ back"\n',
  );
  assert.doesNotMatch(metaDataYaml({ instanceId: "i", hostname: "h", keys: [] }), /public-keys/);
});

test("network-config matches interfaces by MAC; none without interfaces", () => {
  assert.equal(networkConfigYaml([]), undefined);
  assert.equal(
    networkConfigYaml([
      { mac: "52:54:00:00:00:01", ipv4: "dhcp" },
      { mac: "52:54:00:00:00:02", ipv4: "dhcp" },
    ]),
    'version: 2\nethernets:\n  nic0:\n    match:\n      macaddress: "52:54:00:00:00:01"\n    dhcp4: true\n  nic1:\n    match:\n      macaddress: "52:54:00:00:00:02"\n    dhcp4: true\n',
  );
});
