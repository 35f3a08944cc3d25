/**
 * `npm run bench`: runs every benchmark (build/bench/*.bench.js) one after another, each in its
 * own process so one cannot warm or load the next. A benchmark prints its own report; pass
 * names to run only some (`npm run bench -- http-throughput`).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith(".bench.js"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file.replace(/\.bench\.js$/, "")} ===\n`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
