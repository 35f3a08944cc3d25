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

test("a long path is written truncated, saying how long it was", () => {
  const { log, lines } = capture("info");
  const path = `/${"a".repeat(8191)}`;
  createAccessLog(log)({ client: "c", instance: "i", method: "GET", path, status: 404, ms: 0 });
  const entry = JSON.parse(lines[0] ?? "") as { path: string };
  assert.ok(lines[0] !== undefined && lines[0].length < 600, `line of ${lines[0]?.length}`);
  assert.ok(entry.path.startsWith("/aaaa"));
  assert.ok(entry.path.endsWith("...(8192 characters)"));
});

test("one client's flood is sampled with a count of what was dropped; others are written", () => {
  const { log, lines } = capture("info");
  let now = 1_000_000;
  const access = createAccessLog(log, () => now);
  const line = (client: string) => ({
    client,
    instance: undefined,
    method: "GET",
    path: "/",
    status: 404,
    ms: 0,
  });
  for (let i = 0; i < 1000; i++) access(line("10.0.0.1"));
  access(line("10.0.0.2"));
  const written = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(written().filter((l) => l.client === "10.0.0.1").length, 200);
  assert.equal(written().filter((l) => l.client === "10.0.0.2").length, 1);
  now += 1000;
  access(line("10.0.0.1"));
  assert.equal(written().at(-1)?.dropped, 800);
  for (let i = 0; i < 100; i++) access(line("10.0.0.1"));
  now += 10_000;
  access(line("10.0.0.2"));
  const summary = written().find((l) => l.msg === "access log lines dropped");
  assert.deepEqual(summary?.dropped, { "10.0.0.1": 81 });
});
