import assert from "node:assert/strict";
import { test } from "node:test";
import { recordingLogger } from "../../../test/helpers/recording-logger.js";
import { Faults } from "./faults.js";

test("a fault is logged once while it lasts, and its end once", () => {
  const { log, lines } = recordingLogger();
  const faults = new Faults(log);
  for (let i = 0; i < 5; i++) faults.raise("connection", `down (try ${i})`);
  assert.equal(lines.length, 1);
  assert.equal(faults.problem(), "down (try 4)");
  faults.clear("connection");
  faults.clear("connection");
  assert.equal(lines.length, 2);
  assert.match(lines[1]?.msg ?? "", /^recovered: /);
  assert.equal(faults.problem(), undefined);
});

test("only degrading faults make a problem; clearAllBut keeps the named ones", () => {
  const { log } = recordingLogger();
  const faults = new Faults(log);
  faults.raise("conflict:10.0.0.1", "claimed twice", false);
  faults.raise("conflict:10.0.0.2", "claimed twice", false);
  assert.equal(faults.problem(), undefined);
  faults.clearAllBut("conflict:", new Set(["conflict:10.0.0.2"]));
  assert.equal(faults.has("conflict:10.0.0.1"), false);
  assert.equal(faults.has("conflict:10.0.0.2"), true);
});
