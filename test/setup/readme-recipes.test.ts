/**
 * The README's virt-install recipes, exactly as written there, turned into domain XML by
 * virt-install itself (on libvirt's test driver, printing only), then into the DMI values the
 * guest would see: ds-identify must name each recipe's datasource, Ec2 for the Ec2 one.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "../helpers/paths.js";
import { dmiOf, dsIdentify } from "./helpers/ds-identify.js";

const run = promisify(execFile);

/** What each recipe must be detected as. */
const EXPECTED: Readonly<Record<string, string>> = {
  openstack: "OpenStack",
  nocloud: "NoCloud",
  ec2: "Ec2",
};

/** The recipes: a "# mode…" comment line, then "virt-install FLAGS [your other options]". */
async function readmeRecipes(): Promise<Map<string, string[]>> {
  const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
  const recipes = new Map<string, string[]>();
  const pattern = /^# (\w+).*\nvirt-install (.+) \[your other options\]$/gm;
  for (const [, mode = "", flags = ""] of readme.matchAll(pattern)) {
    // The shell's words: split on spaces outside single quotes, quotes removed.
    const words = flags.match(/'[^']*'|[^\s']+/g) ?? [];
    recipes.set(
      mode,
      words.map((word) => word.replace(/^'(.*)'$/, "$1")),
    );
  }
  return recipes;
}

test("each README virt-install recipe is detected as its datasource by ds-identify", async (t) => {
  const recipes = await readmeRecipes();
  assert.deepEqual([...recipes.keys()].sort(), Object.keys(EXPECTED).sort());
  for (const [mode, flags] of recipes) {
    const { stdout } = await run(
      "virt-install",
      [
        "--connect",
        "test:///default",
        "--print-xml",
        "--dry-run",
        "--name",
        `recipe-${mode}`,
        "--memory",
        "512",
        "--import",
        "--disk",
        "none",
        "--network",
        "none",
        "--osinfo",
        "detect=on,require=off",
        "--noautoconsole",
        ...flags,
      ],
      { timeout: 60_000 },
    );
    const dmi = dmiOf(stdout);
    assert.deepEqual(await dsIdentify(t, dmi), [EXPECTED[mode]], `${mode}: ${JSON.stringify(dmi)}`);
  }
});
