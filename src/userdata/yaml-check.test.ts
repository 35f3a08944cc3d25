import assert from "node:assert/strict";
import { test } from "node:test";
import { TemplateError } from "./template-error.js";
import { checkCloudConfig } from "./yaml-check.js";

function problem(text: string): string {
  try {
    checkCloudConfig(text, "/etc/mdserver/userdata/web.yaml");
  } catch (error) {
    assert.ok(error instanceof TemplateError);
    return error.message;
  }
  return "ok";
}

test("valid cloud-config, and anything that does not claim to be one, passes", () => {
  assert.equal(problem("#cloud-config\nhostname: web\nruncmd:\n  - [ls, -l]\n"), "ok");
  assert.equal(problem("#cloud-config\n"), "ok", "empty is fine");
  assert.equal(problem("#cloud-config\na: 1\na: 2\n"), "ok", "PyYAML keeps the last key");
  assert.equal(problem("#!/bin/sh\nx: y: z\n"), "ok", "a script is not YAML");
  assert.equal(problem("## template: jinja\n#cloud-config\nx: {{ a: b }}\n"), "ok");
});

test("a rendered #cloud-config that is not YAML names the file and the output's line", () => {
  assert.match(
    problem("#cloud-config\nhostname: x: y #z\n"),
    /^\/etc\/mdserver\/userdata\/web\.yaml:2:11: the rendered #cloud-config is not valid YAML at line 2, column 11 of the output: Nested mappings/,
  );
  assert.match(problem("#cloud-config\nruncmd: [ls\n"), /web\.yaml:3:1: .*not valid YAML/);
  assert.match(problem("#cloud-config\na: 1\n---\nb: 2\n"), /multiple documents/);
  assert.match(problem("#cloud-config\n\tx: 1\n"), /not valid YAML/);
});

test("a #cloud-config that is a list or a string is refused: cloud-init ignores it", () => {
  assert.match(problem("#cloud-config\n- a\n- b\n"), /not a YAML mapping/);
  assert.match(problem("#cloud-config\njust words\n"), /not a YAML mapping/);
});
