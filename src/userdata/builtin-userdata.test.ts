import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { builtinUserdata, yamlScalar } from "./builtin-userdata.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITestKey admin@host";

test("an ordinary name and key come out as the original wrote them", () => {
  const values = new Map([
    ["hostname", "web-1.lab"],
    ["public_key_default", KEY],
  ]);
  assert.equal(
    builtinUserdata(values),
    `#cloud-config\nhostname: web-1.lab\nlocal-hostname: web-1.lab\nfqdn: web-1.lab.localdomain\nmanage_etc_hosts: true\nssh_authorized_keys:\n    - ${KEY}\n`,
  );
});

test("no name can break the YAML; names are HTML-escaped as the original's template did", () => {
  const names = [
    "x: y #z",
    "- item",
    "[a, b]",
    "{a: 1}",
    "yes",
    "null",
    "123",
    "0x1f",
    "1:20",
    "*alias",
    "&anchor",
    "!tag",
    "'quoted'",
    '"dq"',
    "a\\b",
    "%percent",
    "@at",
    "`tick",
    "| block",
    "> fold",
    "? key",
    "trailing ",
    " leading",
    "tab\there",
    "a#b",
    "ü ✓",
    "del\u007f",
    "ctl\u0001",
    "<b>&",
  ];
  for (const name of names) {
    const text = builtinUserdata(new Map([["hostname", name]]));
    const doc = parse(text, { version: "1.1" }) as Record<string, unknown>;
    const escaped = name
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#039;");
    assert.equal(doc.hostname, escaped, JSON.stringify(name));
    assert.equal(doc["local-hostname"], escaped, JSON.stringify(name));
    assert.equal(doc.fqdn, `${escaped}.localdomain`, JSON.stringify(name));
    assert.equal(doc.manage_etc_hosts, true);
  }
});

test("a key with a comment or options stays one string", () => {
  for (const key of [
    `${KEY} # old`,
    `command="/bin/true" ${KEY}`,
    `no-pty,from="10.0.0.1" ${KEY}`,
  ]) {
    const doc = parse(
      builtinUserdata(
        new Map([
          ["hostname", "h"],
          ["public_key_default", key],
        ]),
      ),
      {
        version: "1.1",
      },
    ) as { ssh_authorized_keys: string[] };
    assert.deepEqual(doc.ssh_authorized_keys, [key]);
  }
});

test("yamlScalar quotes only what needs it", () => {
  assert.equal(yamlScalar("web1"), "web1");
  assert.equal(yamlScalar("on"), '"on"');
  assert.equal(yamlScalar(""), '""');
  assert.equal(yamlScalar("a\nb"), '"a\\nb"');
});
