import assert from "node:assert/strict";
import { test } from "node:test";
import {
  attributeOf,
  childSpans,
  childrenOf,
  rootElement,
  textOf,
  XmlTextError,
} from "./xml-text.js";

test("children are found by depth: comments, CDATA and nested same-named elements do not confuse it", () => {
  const xml = `<?xml version="1.0"?>
<!-- <os> in a comment -->
<domain a="x>y" b='it&apos;s'>
  <metadata><os xmlns="urn:x"><os/></os><![CDATA[<os>]]></metadata>
  <os><type>hvm</type></os>
  <empty/>
</domain>`;
  const domain = rootElement(xml, "domain");
  assert.equal(attributeOf(domain, "a"), "x>y");
  assert.equal(attributeOf(domain, "b"), "it's");
  const children = childrenOf(xml, domain);
  assert.deepEqual(
    children.map((c) => c.name),
    ["metadata", "os", "empty"],
  );
  const os = children[1]!;
  assert.equal(xml.slice(os.start, os.end), "<os><type>hvm</type></os>");
  assert.equal(textOf(xml, childrenOf(xml, os)[0]!), "hvm");
  const empty = children[2]!;
  assert.equal(empty.closeStart, empty.end, "self-closing");
  assert.deepEqual(childrenOf(xml, empty), []);
});

test("unbalanced XML is refused", () => {
  assert.throws(() => childSpans("<a><b></a>"), XmlTextError);
  assert.throws(() => childSpans("<a><b>"), XmlTextError);
  assert.throws(() => rootElement("<network/>", "domain"), /no <domain>/);
});
