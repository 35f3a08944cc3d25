import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { FileCache } from "./file-cache.js";

const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

test("a write beside userdata_dir keeps the cache; a change inside it drops it", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "mdserver-file-cache-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const userdata = join(dir, "userdata");
  await mkdir(userdata);
  await writeFile(join(userdata, "guest.yaml"), "one\n");
  const cache = new FileCache([userdata], 60_000);
  t.after(() => cache.close());
  const file = join(userdata, "guest.yaml");
  const first = cache.read(file);
  assert.equal(await cache.isDirectory(userdata), true);
  // A log file next to userdata_dir, written on every request, used to empty the cache.
  for (let i = 0; i < 5; i++) await writeFile(join(dir, "mdserver.log"), `line ${i}\n`);
  await settle();
  assert.equal(cache.read(file), first, "still the cached read");
  await writeFile(file, "two\n");
  await settle();
  const again = await cache.read(file);
  assert.equal(again.kind === "file" && again.bytes.toString(), "two\n");
});
