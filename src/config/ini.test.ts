import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIni } from "./ini.js";

function sections(text: string) {
  const result = parseIni(text);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  return Object.fromEntries(
    [...result.sections.values()].map((s) => [
      s.name,
      Object.fromEntries([...s.entries].map(([k, e]) => [k, e.value])),
    ]),
  );
}

test("configparser dialect: = and :, comments, case-folded keys, continuation lines", () => {
  assert.deepEqual(
    sections(
      "# top comment\n[a]\nKey = v1\nother: v2\n; comment\n  # indented comment\nlong = first\n  second\n\n[B]\nx=  spaced  \n",
    ),
    { a: { key: "v1", other: "v2", long: "first\nsecond" }, B: { x: "spaced" } },
  );
});

test("values keep inline # and ; (configparser has no inline comments by default)", () => {
  assert.deepEqual(sections("[a]\nk = ssh-rsa AAA # comment ; too\n"), {
    a: { k: "ssh-rsa AAA # comment ; too" },
  });
});

test("%% is a literal percent and %(key)s refers to a key of the same section", () => {
  assert.deepEqual(sections("[a]\nbase = /srv\npath = %(base)s/x\npct = 100%%\n"), {
    a: { base: "/srv", path: "/srv/x", pct: "100%" },
  });
});

test("problems carry line numbers", () => {
  const result = parseIni("[a]\nok = 1\nbroken line\n[a]\n");
  assert.ok(!result.ok);
  assert.deepEqual(
    result.problems.map((p) => p.line),
    [3, 4],
  );
});

test("a reference to a missing key is a problem at its line", () => {
  const result = parseIni("[a]\n\nx = %(nothere)s\n");
  assert.ok(!result.ok);
  assert.equal(result.problems[0]?.line, 3);
});
