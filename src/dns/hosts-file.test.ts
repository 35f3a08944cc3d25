import assert from "node:assert/strict";
import { test } from "node:test";
import type { DnsRecord } from "./dns-records.js";
import { BLOCK_END, BLOCK_START, ownLines, renderHostsFile } from "./hosts-file.js";

const record = (address: string, ...names: string[]): DnsRecord => ({
  address,
  names,
  source: "static",
  instance: names[0] ?? "",
});

test("a new file holds mdserver's block only", () => {
  const text = renderHostsFile("", [record("10.0.0.1", "a", "a.lab"), record("10.0.0.2", "b")]);
  assert.equal(text, `${BLOCK_START}\n10.0.0.1 a a.lab\n10.0.0.2 b\n${BLOCK_END}\n`);
  assert.deepEqual(ownLines(text), ["10.0.0.1 a a.lab", "10.0.0.2 b"]);
});

test("lines mdserver did not write are kept as they are, where they are", () => {
  const libvirts = "192.168.1.5 printer\n# an admin's note\n";
  const first = renderHostsFile(libvirts, [record("10.0.0.1", "a")]);
  assert.equal(first, `${libvirts}${BLOCK_START}\n10.0.0.1 a\n${BLOCK_END}\n`);
  // Someone adds a line after the block: the block is rewritten in place.
  const edited = `${first}10.9.9.9 added-later\n`;
  const second = renderHostsFile(edited, [record("10.0.0.2", "b")]);
  assert.equal(
    second,
    `${libvirts}${BLOCK_START}\n10.0.0.2 b\n${BLOCK_END}\n10.9.9.9 added-later\n`,
  );
  // Nothing left to say: the block goes, the other lines stay.
  assert.equal(renderHostsFile(second, []), `${libvirts}10.9.9.9 added-later\n`);
});

test("the same content gives the same text object: nothing to write", () => {
  const current = renderHostsFile("x 1\n", [record("10.0.0.1", "a")]);
  assert.equal(renderHostsFile(current, [record("10.0.0.1", "a")]), current);
  // A file mdserver has nothing to say in is left alone, even without a final newline.
  assert.equal(renderHostsFile("10.1.1.1 other", []), "10.1.1.1 other");
});

test("a block without its end marker runs to the end; several blocks become one", () => {
  const broken = `1.1.1.1 keep\n${BLOCK_START}\n10.0.0.1 old\n`;
  assert.equal(
    renderHostsFile(broken, [record("10.0.0.2", "new")]),
    `1.1.1.1 keep\n${BLOCK_START}\n10.0.0.2 new\n${BLOCK_END}\n`,
  );
  const twice = `${BLOCK_START}\n10.0.0.1 a\n${BLOCK_END}\nmid 1\n${BLOCK_START}\n10.0.0.1 a\n${BLOCK_END}\n`;
  assert.equal(
    renderHostsFile(twice, [record("10.0.0.1", "a")]),
    `${BLOCK_START}\n10.0.0.1 a\n${BLOCK_END}\nmid 1\n`,
  );
});
