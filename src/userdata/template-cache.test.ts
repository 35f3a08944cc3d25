import assert from "node:assert/strict";
import { test } from "node:test";
import { TemplateCache } from "./template-cache.js";
import { TemplateError } from "./template-error.js";

test("one compilation per file and text; an edited text compiles anew", () => {
  const cache = new TemplateCache();
  const first = cache.get("{{x}}", "a");
  assert.equal(cache.get("{{x}}", "a"), first);
  assert.notEqual(cache.get("{{x}}!", "a"), first);
  // Errors name the file, so the same text from another file is its own entry.
  assert.notEqual(cache.get("{{x}}", "b"), first);
  assert.equal(first.render(new Map([["x", "1"]])), "1");
});

test("a template that does not compile fails the same way each time", () => {
  const cache = new TemplateCache();
  const attempt = () => cache.get("{{ 1 + }}", "/u/bad");
  assert.throws(attempt, TemplateError);
  assert.throws(
    attempt,
    (e: unknown) =>
      e instanceof TemplateError &&
      e.forGuest() === "bad:1:7: invalid syntax: unexpected end of expression",
  );
});

test("bounded: many texts do not grow it without end", () => {
  const cache = new TemplateCache();
  const first = cache.get("0", "f");
  for (let i = 1; i <= 200; i++) cache.get(String(i), "f");
  assert.notEqual(cache.get("0", "f"), first, "the oldest entry was dropped");
});
