import assert from "node:assert/strict";
import { test } from "node:test";
import { parseHostKey } from "./host-key.js";
import { parsePhoneHomeForm } from "./phone-home-form.js";

const ED25519 =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKTKv4yRjwCyLXm7VGoDkeOa92PTElMqzjugnanLGgJH root@guest";
const ECDSA =
  "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOBLWCi1Na22Nzch3rzDFzkE5vkzwORpiO2nitaKLDBSWkmbLvR2HjwrICKh9hu73WX5f7iVi/TWumsXYJ9+oY4= root@guest";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

test("a phone_home body gives the ids and the host keys without their comments", () => {
  const parsed = parsePhoneHomeForm(
    form({
      pub_key_rsa: "N/A",
      pub_key_ecdsa: `${ECDSA}\n`,
      pub_key_ed25519: `${ED25519}\n`,
      instance_id: "i-11111111222243338",
      hostname: "alpha",
      fqdn: "alpha.example",
    }),
  );
  assert.deepEqual(parsed, {
    instanceId: "i-11111111222243338",
    hostname: "alpha",
    hostKeys: [
      { type: "ssh-ed25519", key: ED25519.split(" ")[1] },
      { type: "ecdsa-sha2-nistp256", key: ECDSA.split(" ")[1] },
    ],
  });
});

test("missing, malformed or hostile fields are left out", () => {
  const parsed = parsePhoneHomeForm(
    form({
      // A second key smuggled in after a newline, and a control character in the hostname.
      pub_key_ed25519: `${ED25519}\n@cert-authority * ${ED25519}`,
      pub_key_rsa: ED25519,
      instance_id: "x".repeat(300),
      hostname: "al\u0007pha",
    }),
  );
  assert.deepEqual(parsed, { instanceId: "", hostname: "", hostKeys: [] });
  assert.deepEqual(parsePhoneHomeForm(""), { instanceId: "", hostname: "", hostKeys: [] });
});

test("a host key must be base64 of a blob naming its own type", () => {
  assert.ok(parseHostKey(ED25519));
  // The right type word over a blob of another type.
  assert.equal(parseHostKey(`ssh-rsa ${ED25519.split(" ")[1]}`), undefined);
  assert.equal(parseHostKey("ssh-dss AAAAB3NzaC1kc3MAAACBAP"), undefined);
  assert.equal(parseHostKey("ssh-ed25519 not*base64"), undefined);
  assert.equal(parseHostKey("ssh-ed25519"), undefined);
  assert.equal(parseHostKey(`ssh-ed25519 ${"A".repeat(5000)}`), undefined);
});
