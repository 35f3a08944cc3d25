import assert from "node:assert/strict";
import { test } from "node:test";
import { pino } from "pino";
import { createAccessLog } from "./access-log.js";

function capture(level: string) {
  const lines: string[] = [];
  const log = pino(
    { level, base: { pid: process.pid } },
    { write: (line: string) => lines.push(line) },
  );
  return { log, lines };
}

test("each line is JSON in the logger's shape, whatever the path holds", () => {
  const { log, lines } = capture("info");
  const access = createAccessLog(log);
  const paths = ["/latest/meta-data/", '/a"b\\c', "/tab\there", "/\u2028line", "/ü"];
  for (const path of paths) {
    access({ client: "127.0.0.1", instance: "vm1", method: "GET", path, status: 200, ms: 0.12 });
  }
  access({ client: "::1", instance: undefined, method: "PUT", path: "/x", status: 404, ms: 1 });
  assert.equal(lines.length, paths.length + 1);
  lines.forEach((line, i) => {
    assert.ok(line.endsWith("\n"));
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(entry.level, "info");
    assert.equal(entry.pid, process.pid);
    assert.equal(entry.msg, "request");
    assert.ok(!Number.isNaN(Date.parse(String(entry.time))));
    if (i < paths.length) {
      assert.equal(entry.path, paths[i]);
      assert.equal(entry.instance, "vm1");
      assert.equal(entry.ms, 0.12);
    } else {
      assert.equal("instance" in entry, false);
      assert.equal(entry.status, 404);
      assert.equal(entry.client, "::1");
    }
  });
});

test("nothing is written when the level hides info", () => {
  const { log, lines } = capture("warn");
  createAccessLog(log)({
    client: "c",
    instance: "i",
    method: "GET",
    path: "/",
    status: 200,
    ms: 0,
  });
  assert.deepEqual(lines, []);
});
