import assert from "node:assert/strict";
import { test } from "node:test";
import { userdataCandidates } from "./userdata-candidates.js";

test("name, name.yaml, MAC, MAC.yaml in that order", () => {
  assert.deepEqual(userdataCandidates("web1", "52:54:00:aa:bb:cc"), [
    "web1",
    "web1.yaml",
    "52:54:00:aa:bb:cc",
    "52:54:00:aa:bb:cc.yaml",
  ]);
});

test("without a MAC only the name is tried", () => {
  assert.deepEqual(userdataCandidates("web1", undefined), ["web1", "web1.yaml"]);
});

test("names that are not a single path component are never used", () => {
  for (const bad of ["..", ".", "", "a/b", "../x", "a\\b", "x\0y"]) {
    assert.deepEqual(userdataCandidates(bad, bad), [], JSON.stringify(bad));
  }
  assert.deepEqual(userdataCandidates("../etc/passwd", "52:54:00:00:00:01"), [
    "52:54:00:00:00:01",
    "52:54:00:00:00:01.yaml",
  ]);
});
