/**
 * Golden tests against bottle 0.12, the original's renderer: every fixture under
 * test/fixtures/bottle/render renders byte for byte as bottle rendered it; every fixture under
 * errors/ fails with its expected `file:line:column: problem`; and the committed fixtures are
 * still what the installed bottle (Debian's python3-bottle) gives.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { TemplateError } from "../../src/userdata/template-error.js";
import { compileTemplate } from "../../src/userdata/template/compile-template.js";
import { bottleCases, GENERATOR } from "./bottle-fixtures.js";

const renderCases = bottleCases("render");
const errorCases = bottleCases("errors");

test("there are fixtures for every construct", () => {
  assert.ok(renderCases.length >= 80, `${renderCases.length} render fixtures`);
  assert.ok(errorCases.length >= 60, `${errorCases.length} error fixtures`);
});

for (const c of renderCases) {
  test(`renders as bottle 0.12 does: ${c.name}`, () => {
    const output = compileTemplate(c.source, c.file).render(c.values);
    assert.equal(output, c.sibling("out"));
  });
}

for (const c of errorCases) {
  const bottle = c.sibling("bottle").trim();
  test(`fails with its place and problem: ${c.name} (bottle: ${bottle})`, () => {
    assert.throws(
      () => compileTemplate(c.source, c.file).render(c.values),
      (error: unknown) => {
        assert.ok(error instanceof TemplateError, String(error));
        assert.equal(error.forGuest(), c.sibling("expected").trimEnd());
        return true;
      },
    );
  });
}

test("the committed fixtures are what the installed bottle 0.12 renders", () => {
  const run = spawnSync("/usr/bin/python3", [GENERATOR, "--check"], {
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(
    run.error,
    undefined,
    "python3-bottle is a test dependency (scripts/install-test-deps.sh)",
  );
  const total = renderCases.length + errorCases.length;
  assert.match(
    run.stdout,
    new RegExp(`^bottle 0\\.12\\.\\d+: ${total} fixtures, 0 differ$`, "m"),
    run.stdout + run.stderr,
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
