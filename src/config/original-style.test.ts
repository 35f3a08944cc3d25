import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIni } from "./ini.js";
import { isOriginalStyle } from "./original-style.js";

function original(text: string): boolean {
  const ini = parseIni(text);
  assert.ok(ini.ok);
  return isOriginalStyle(ini.sections);
}

test("files with only the original's sections and keys are original-style", () => {
  assert.equal(original(""), true);
  assert.equal(
    original("[mdserver]\nport = 80\npassword = x\n[public-keys]\nanything = k\n"),
    true,
  );
  assert.equal(original("[template-data]\nmy_value = 1\n[service]\nversion = 0.5.0\n"), true);
  assert.equal(original("[dnsmasq]\nnet_name = mds\nlease_len = 3600\n"), true, "0.6's keys");
});

test("any section or key the original lacked makes a file new-style", () => {
  assert.equal(original("[ec2]\n"), false, "even an empty new section");
  assert.equal(original("[mdserver]\ninstance_source = static\n"), false);
  assert.equal(original("[instance:web]\nip = 10.0.0.2\n"), false);
  assert.equal(original("[libvirt]\nuri = qemu:///system\n"), false);
});
