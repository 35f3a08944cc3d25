import assert from "node:assert/strict";
import { test } from "node:test";
import { partCandidates } from "./guest-part.js";

test("each part is searched by name then MAC, user-data as the original, others by suffix", () => {
  const mac = "52:54:00:00:00:01";
  assert.deepEqual(partCandidates("user-data", "web", mac), [
    "web",
    "web.yaml",
    mac,
    `${mac}.yaml`,
  ]);
  assert.deepEqual(partCandidates("vendor-data", "web", mac), [
    "web.vendor-data",
    `${mac}.vendor-data`,
  ]);
  assert.deepEqual(partCandidates("network-config", "web", undefined), ["web.network-config"]);
  assert.deepEqual(partCandidates("meta-data", "../x", mac), [`${mac}.meta-data`]);
});
