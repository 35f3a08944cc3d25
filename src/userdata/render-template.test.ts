import assert from "node:assert/strict";
import { test } from "node:test";
import { htmlEscape, renderTemplate } from "./render-template.js";
import { TemplateError } from "./template-error.js";

const values = new Map([
  ["hostname", "web1"],
  ["odd", `a<b>&"c'`],
]);

test("{{name}} is escaped like bottle, {{!name}} is raw, whitespace inside braces is allowed", () => {
  assert.equal(
    renderTemplate("{{hostname}} {{ odd }} {{!odd}}", values, "f"),
    `web1 a&lt;b&gt;&amp;&quot;c&#039; a<b>&"c'`,
  );
});

test("text without expressions is unchanged, line endings included", () => {
  assert.equal(
    renderTemplate("#cloud-config\r\nx: 1\n\n", values, "f"),
    "#cloud-config\r\nx: 1\n\n",
  );
});

test("%% at the start of a line is a literal %", () => {
  assert.equal(renderTemplate("%% not code\n  %%x", values, "f"), "% not code\n  %x");
});

test("an unknown name is an error naming file and line", () => {
  assert.throws(
    () => renderTemplate("a\nb\nc {{missing}}", values, "/u/web1.yaml"),
    (e: unknown) =>
      e instanceof TemplateError &&
      e.file === "/u/web1.yaml" &&
      e.line === 3 &&
      /no value named "missing"/.test(e.message),
  );
});

test("expressions and code lines this version does not support are errors, not silently wrong output", () => {
  assert.throws(
    () => renderTemplate("{{hostname.upper()}}", values, "f"),
    /only plain value names/,
  );
  assert.throws(
    () => renderTemplate("x\n% if hostname:\ny\n% end\n", values, "f"),
    /f:2: template code lines/,
  );
});

test("htmlEscape escapes the five characters bottle does", () => {
  assert.equal(htmlEscape(`&<>"'x`), "&amp;&lt;&gt;&quot;&#039;x");
});
