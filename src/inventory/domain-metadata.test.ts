import assert from "node:assert/strict";
import { test } from "node:test";
import { isInsideName, MDS_NAMESPACE, parseDomainMetadata } from "./domain-metadata.js";

test("reads files, values and tags from mdserver's namespace, whatever its prefix", () => {
  const xml = `<metadata>
  <other:thing xmlns:other="https://example.com/x"><other:value name="role">no</other:value></other:thing>
  <m:instance xmlns:m="${MDS_NAMESPACE}">
    <m:userdata> web.yaml </m:userdata>
    <m:vendor-data>vd/common</m:vendor-data>
    <m:value name="role">web &amp; db</m:value>
    <m:value name="role">web</m:value>
    <m:tag name="Environment">production</m:tag>
  </m:instance>
</metadata>`;
  assert.deepEqual(parseDomainMetadata(xml), {
    files: { userdata: "web.yaml", "vendor-data": "vd/common" },
    values: { role: "web" },
    tags: { Environment: "production" },
    problems: [],
  });
});

test("nothing from other namespaces or without metadata; problems are reported, not thrown", () => {
  assert.deepEqual(parseDomainMetadata(undefined).values, {});
  const foreign = parseDomainMetadata(
    `<metadata><mds:settings xmlns:mds="https://mdserver.example/1"><mds:userdata>web</mds:userdata></mds:settings></metadata>`,
  );
  assert.deepEqual(foreign.files, {});
  const bad = parseDomainMetadata(
    `<metadata><i xmlns="${MDS_NAMESPACE}"><userdata>../../etc/shadow</userdata><value>x</value><colour/></i></metadata>`,
  );
  assert.deepEqual(bad.files, {});
  assert.deepEqual(bad.problems, [
    '<userdata> "../../etc/shadow" is not a file name inside userdata_dir',
    "<value> without a name",
    "unknown element <colour>",
  ]);
});

test("a file name must stay inside userdata_dir", () => {
  for (const ok of ["web", "web.yaml", "roles/web.yaml", "..web"]) assert.ok(isInsideName(ok), ok);
  for (const bad of ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", "a\0"]) {
    assert.ok(!isInsideName(bad), bad);
  }
});
