import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "../parse-config.js";
import { ConfigError } from "../config-error.js";

function problems(text: string): string[] {
  try {
    parseConfig("/m.conf", text);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.line}: ${p.where}`);
  }
}

test("[admin]: loopback by default, never where guests can reach it", () => {
  const config = parseConfig("/m.conf", "").config;
  assert.deepEqual(config.admin, { enabled: true, listen_address: ["127.0.0.1"], port: 9254 });
  assert.deepEqual(problems("[admin]\nlisten_address = 169.254.169.254\n"), [
    "2: admin.listen_address",
  ]);
  assert.deepEqual(problems("[admin]\nlisten_address = ::1, fd00:ec2:0::254\n"), [
    "2: admin.listen_address",
  ]);
  assert.deepEqual(
    problems(
      "[mdserver]\nlisten_address = 192.168.122.1\n[admin]\nlisten_address = 192.168.122.1\n",
    ),
    ["4: admin.listen_address"],
  );
  assert.deepEqual(problems("[admin]\nlisten_address = 0.0.0.0\n"), ["2: admin.listen_address"]);
  // A loopback metadata address (the demo) may share the admin address, not its port.
  assert.deepEqual(problems("[mdserver]\nlisten_address = 127.0.0.1\nport = 8080\n"), []);
  assert.deepEqual(
    problems("[mdserver]\nlisten_address = 127.0.0.1\nport = 8080\n[admin]\nport = 8080\n"),
    ["5: admin.port"],
  );
  assert.deepEqual(problems("[mdserver]\nlisten_address = ::\nport = 9254\n"), [
    "undefined: admin.port",
  ]);
  // Switched off, nothing is checked.
  assert.deepEqual(problems("[admin]\nenabled = no\nlisten_address = 0.0.0.0\n"), []);
});
