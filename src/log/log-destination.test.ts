import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { LogDestination } from "./log-destination.js";

test("a busy server's bursts of lines are all written, not dropped", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mdserver-logdest-"));
  try {
    const file = join(dir, "mdserver.log");
    const destination = new LogDestination(file);
    const line = `${JSON.stringify({ level: "info", msg: "request", path: "/x".repeat(70) })}\n`;
    // 100 bursts of 200 lines (~30 KB), each followed by 5 ms of other work, as when a
    // boot storm's requests are answered: 16 KB written per turn of the loop was too little.
    const bursts = 100;
    const burst = 200;
    for (let b = 0; b < bursts; b++) {
      for (let i = 0; i < burst; i++) destination.write(line);
      for (const until = performance.now() + 5; performance.now() < until;);
      await turn();
    }
    await new Promise<void>((resolve, reject) =>
      destination.flush((error) => (error ? reject(error) : resolve())),
    );
    const written = (await readFile(file, "utf8")).split("\n").filter((l) => l !== "");
    assert.equal(written.filter((l) => l === line.trim()).length, bursts * burst);
    assert.equal(destination.failure, undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
