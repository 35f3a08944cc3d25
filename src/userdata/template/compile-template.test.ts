import assert from "node:assert/strict";
import { test } from "node:test";
import { TemplateError } from "../template-error.js";
import { compileTemplate, type TemplateValue } from "./compile-template.js";

const render = (source: string, values: Record<string, TemplateValue> = {}) =>
  compileTemplate(source, "/srv/userdata/web.yaml").render(new Map(Object.entries(values)));

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TemplateError, String(error));
    return error;
  }
  assert.fail("no error");
}

test("compiles once, renders many times with different values", () => {
  const compiled = compileTemplate("% for n in names:\n- {{n}}\n% end\n", "t");
  assert.equal(compiled.render(new Map([["names", ["a", "b"]]])), "- a\n- b\n");
  assert.equal(compiled.render(new Map([["names", []]])), "");
});

test("assignments and setdefault stay inside one rendering", () => {
  const compiled = compileTemplate(
    "{{ setdefault('x', 'first') }} {{ get('y', '-') }}\n% y = 1\n",
    "t",
  );
  assert.equal(compiled.render(new Map()), "first -\n");
  assert.equal(compiled.render(new Map([["x", "given"]])), "given -\n");
});

test("syntax errors and refused constructs fail at compile time, with line and column", () => {
  const error = failure(() =>
    compileTemplate("ok\n  x {{ open('/etc/passwd') }}\n", "/srv/userdata/web.yaml"),
  );
  assert.equal(error.line, 2);
  assert.equal(error.column, 8);
  assert.equal(error.problem, "unknown function 'open'");
  assert.equal(error.forGuest(), "web.yaml:2:8: unknown function 'open'");
  assert.equal(error.message, "/srv/userdata/web.yaml:2:8: unknown function 'open'");
});

test("an unknown name fails when its line runs, naming it; the known names are for the log only", () => {
  assert.equal(render("% if 0:\n{{ nope }}\n% end\nok"), "ok");
  const error = failure(() => render("é {{ nope }}", { hostname: "h" }));
  assert.equal(error.forGuest(), 'web.yaml:1:6: no value named "nope"');
  assert.equal(error.detail, "known: hostname");
});

test("columns count characters, not UTF-16 units", () => {
  assert.equal(failure(() => render("😀😀{{ 1 // 0 }}")).column, 8);
});

test("JSON-like values become Python values", () => {
  assert.equal(
    render("{{ n + 1 }} {{ f * 2 }} {{ t }} {{ z }} {{ xs[1] }} {{ d['k'] }} {{ d }}", {
      n: 41,
      f: 1.25,
      t: true,
      z: null,
      xs: ["a", "b"],
      d: { k: "v" },
    }),
    "42 2.5 True None b v {&#039;k&#039;: &#039;v&#039;}",
  );
});

test("a template cannot run for ever or fill memory", () => {
  assert.match(
    failure(() => render("% for i in range(100000000):\n% pass\n% end\n")).problem,
    /steps/,
  );
  assert.match(failure(() => render("{{ 'x' * 100000000 }}")).problem, /larger than/);
  assert.match(
    failure(() => render("% s = 'xx'\n% for i in range(40):\n% s = s + s\n% end\n")).problem,
    /larger than/,
  );
  assert.match(failure(() => render("{{ sorted(range(1000000000)) }}")).problem, /larger than/);
});

test("deep nesting is an error, never a stack overflow", () => {
  const deep = [
    `{{ 1${" + 1".repeat(5000)} }}`,
    `{{ s${"[0]".repeat(5000)} }}`,
    `{{ s${".upper()".repeat(5000)} }}`,
    `{{ [1 ${"for a in 'a' ".repeat(500)}] }}`,
    `{{ ${"(".repeat(500)}1${")".repeat(500)} }}`,
    `{{ ${"not ".repeat(5000)}1 }}`,
  ];
  for (const source of deep)
    assert.match(failure(() => render(source, { s: "a" })).problem, /more than/);
  const nest = (open: string, close: string) =>
    `% t = ()\n% for i in range(10000):\n% t = ${open}t${close}\n% end\n`;
  assert.match(failure(() => render(`${nest("(", ",)")}{{ {t: 1} }}`)).problem, /RecursionError/);
  assert.match(failure(() => render(`${nest("[", "]")}{{ t }}`)).problem, /RecursionError/);
  assert.equal(render(`${nest("[", "]")}{{ t == t }} {{ len(t) }}`), "True 1");
  assert.equal(render(`{{ 1${" + 1".repeat(900)} }}`), "901");
});

test("the file's directory never reaches the guest", () => {
  assert.equal(
    failure(() => render("{{ 1 + }}"))
      .forGuest()
      .includes("/srv"),
    false,
  );
});
