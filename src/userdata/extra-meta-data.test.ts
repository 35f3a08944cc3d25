import assert from "node:assert/strict";
import { test } from "node:test";
import { parseExtraMetaData } from "./extra-meta-data.js";
import { TemplateError } from "./template-error.js";

test("tags, availability zone and instance type; every key kept", () => {
  const meta = parseExtraMetaData(
    "# comment\navailability-zone: lab-1b\ninstance-type: m5.large\ntags:\n  Name: web\n  Count: 3\nowner: ops\n",
    "f",
  );
  assert.deepEqual(meta, {
    tags: { Name: "web", Count: "3" },
    availabilityZone: "lab-1b",
    instanceType: "m5.large",
    fields: {
      "availability-zone": "lab-1b",
      "instance-type": "m5.large",
      tags: { Name: "web", Count: 3 },
      owner: "ops",
    },
  });
  assert.deepEqual(parseExtraMetaData("# nothing\n", "f").tags, {});
});

test("what cannot be meta-data is an error with its line and column", () => {
  const cases: Array<[string, string]> = [
    ["a: 1\nb: [1\n", "f:"],
    ["- a\n- b\n", "f:1:1: meta-data must be a YAML mapping"],
    ["x: 1\ntags: [a]\n", "f:2:7: tags must be a mapping"],
    ["availability-zone:\n  - a\n", "f:2:3: availability-zone must be a single value"],
    ["a: 1\na: 2\n", "f:"],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseExtraMetaData(text, "f"),
      (e: unknown) => e instanceof TemplateError && e.message.startsWith(message),
      text,
    );
  }
});
