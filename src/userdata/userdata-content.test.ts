import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { templateText } from "./userdata-content.js";

test("UTF-8 text is a template, BOM and all", () => {
  assert.equal(templateText(Buffer.from("#cloud-config\nx: ü ✓\n")), "#cloud-config\nx: ü ✓\n");
  assert.equal(templateText(Buffer.from("\ufeff{{x}}")), "\ufeff{{x}}");
  assert.equal(templateText(Buffer.alloc(0)), "");
});

test("gzip, a NUL byte or invalid UTF-8 means raw bytes", () => {
  assert.equal(templateText(gzipSync("#cloud-config\n")), undefined);
  // A gzip header alone, even if it were valid UTF-8 otherwise.
  assert.equal(templateText(Buffer.from([0x1f, 0x8b])), undefined);
  assert.equal(templateText(Buffer.from("a\0b")), undefined);
  assert.equal(templateText(Buffer.from([0x68, 0xc3])), undefined, "truncated sequence");
  assert.equal(templateText(Buffer.from([0xed, 0xa0, 0x80])), undefined, "a surrogate");
  assert.equal(templateText(Buffer.from([0xff])), undefined);
});
