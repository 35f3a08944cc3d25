/** The bottle template fixtures under test/fixtures/bottle: template, values and what bottle 0.12 gave. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TemplateValue } from "../../src/userdata/template/compile-template.js";
import { fixture } from "../helpers/paths.js";

/** The Python script that renders the fixtures with the installed bottle. */
export const GENERATOR = fixture("bottle/generate.py");

/** One fixture: NAME.tpl, NAME.json (values) and the files beside them. */
export interface BottleCase {
  readonly name: string;
  readonly file: string;
  readonly source: string;
  readonly values: ReadonlyMap<string, TemplateValue>;
  /** The text of NAME.<ext>. */
  sibling(ext: string): string;
}

/** The cases in test/fixtures/bottle/<kind> ("render" or "errors"), by name. */
export function bottleCases(kind: "render" | "errors"): BottleCase[] {
  const dir = fixture(`bottle/${kind}`);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tpl"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -".tpl".length);
      const base = join(dir, name);
      const values = existsSync(`${base}.json`)
        ? (JSON.parse(readFileSync(`${base}.json`, "utf8")) as Record<string, TemplateValue>)
        : {};
      return {
        name,
        file: join(dir, f),
        source: readFileSync(join(dir, f), "utf8"),
        values: new Map(Object.entries(values)),
        sibling: (ext: string) => readFileSync(`${base}.${ext}`, "utf8"),
      };
    });
}
