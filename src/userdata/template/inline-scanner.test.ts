import assert from "node:assert/strict";
import { test } from "node:test";
import { findInlines } from "./inline-scanner.js";

/** What bottle 0.12's inline pattern finds in each text (taken from Python's re). */
const BOTTLE: Array<[string, string[]]> = [
  ["{{a}} and {{b}}", ["a", "b"]],
  ["{{ '}}' }}", [" '}}' "]],
  ["{{{a}}}", ["{a"]],
  ["{{a}\n}}", []],
  ["{{ 'x\ny' }}", [" 'x\ny' "]],
  ["{{''}}", ["''"]],
  ["{{ '''a}}b''' }}", [" '''a}}b''' "]],
  ['{{ "a\\"}}" }}', [' "a\\"}}" ']],
  ["{{}}", [""]],
  ["{{ u'}}' }}", [" u'}}' "]],
  ["{{a' }}b}}", []],
  ["x {{ '''}}''' }} {{ z }}", [" '''}}''' ", " z "]],
];

test("finds what bottle's inline pattern finds, strings and all", () => {
  for (const [text, inners] of BOTTLE) {
    const found = findInlines(text).map((m) => text.slice(m.innerStart, m.innerEnd));
    assert.deepEqual(found, inners, JSON.stringify(text));
  }
});

test("reports where each match starts and ends", () => {
  assert.deepEqual(findInlines("ab{{ x }}c"), [{ start: 2, innerStart: 4, innerEnd: 7, end: 9 }]);
});

test(
  "an unclosed {{ is scanned in linear time (bottle's pattern backtracks exponentially)",
  { timeout: 20_000 },
  () => {
    // bottle needs seconds for 22 characters after an unclosed "{{"; this is 200,000.
    const text = `{{${"a".repeat(100_000)}${" 'q' ".repeat(20_000)}`;
    assert.deepEqual(findInlines(text), []);
  },
);
