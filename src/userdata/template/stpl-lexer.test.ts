import assert from "node:assert/strict";
import { test } from "node:test";
import { CompileError } from "./errors.js";
import { lexTemplate } from "./stpl-lexer.js";

/** Lines as [kind, level, text]: text parts joined, inline expressions as {{…}}. */
function summary(source: string): Array<[string, number, string]> {
  return lexTemplate(source).map((line) =>
    line.kind === "code"
      ? ["code", line.level, line.code.text]
      : [
          "text",
          line.level,
          line.parts
            .map((p) => (typeof p === "string" ? p : `{{${p.raw ? "!" : ""}${p.code.text}}}`))
            .join(""),
        ],
  );
}

test("code lines drop their indentation and newline; blocks raise the level of what they hold", () => {
  assert.deepEqual(summary("a\n  % if x:\n  b {{ y }}\n  % end\nc"), [
    ["text", 0, "a\n"],
    ["code", 0, "if x:"],
    ["text", 1, "  b {{y}}\n"],
    ["text", 0, "c"],
  ]);
});

test("else is written at its if's level; end may follow a semicolon", () => {
  assert.deepEqual(summary("% if x:\n% else:\nb\n% y = 1; end\n"), [
    ["code", 0, "if x:"],
    ["code", 0, "else:"],
    ["text", 1, "b\n"],
    ["code", 0, "y = 1"],
  ]);
});

test("escaped lines are text, and bottle's skip of the next line's first character is kept", () => {
  assert.deepEqual(summary("%% a\nxb\n\\% c\nyd\n"), [["text", 0, "% a\nb\n% c\nd\n"]]);
  // The skipped character can be what kept the next line from being code.
  assert.deepEqual(summary("%%a\nx% y = 1\n"), [
    ["text", 0, "%a\n"],
    ["code", 0, "y = 1"],
  ]);
});

test("lines inside open brackets and after a backslash join the line that started them", () => {
  assert.deepEqual(summary("% x = [1,\n%   2]\n% y = 1 + \\\n% 2\n"), [
    ["code", 0, "x = [1,\n2]"],
    ["code", 0, "y = 1 + \\\n2"],
  ]);
  assert.deepEqual(summary("<%\nd = {\n  'a': 1,\n}\n%>\n"), [["code", 0, "d = {\n'a': 1,\n}"]]);
});

test("text ending in two backslashes before code loses them and its newline", () => {
  assert.deepEqual(summary("a\\\\\n% x = 1\n"), [
    ["text", 0, "a"],
    ["code", 0, "x = 1"],
  ]);
});

test("code mapped back to the template: errors name the right place", () => {
  const [line] = lexTemplate("text\n  %   x = y\n");
  assert.equal(line?.kind, "text");
  const code = lexTemplate("text\n  %   x = y\n")[1];
  assert.ok(code?.kind === "code");
  assert.equal(code.code.sourceOffset(4), "text\n  %   x = ".length);
});

test("a bracket left open before text, or {{ }} with nothing inside, is refused", () => {
  assert.throws(() => lexTemplate("% x = (\ntext\n% )\n"), CompileError);
  assert.throws(() => lexTemplate("% x = (\n"), CompileError);
  assert.throws(() => lexTemplate("a {{ }} b"), /empty \{\{ \}\}/);
});
