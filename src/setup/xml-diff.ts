/** What `--dry-run` prints: a unified diff of a definition before and after the set-up. */
import { createTwoFilesPatch } from "diff";

/** A unified diff of `before` → `after`, labelled with `name`. */
export function xmlDiff(name: string, before: string, after: string): string {
  return createTwoFilesPatch(`${name} (now)`, `${name} (set up)`, before, after, "", "", {
    context: 3,
  }).replace(/^=+\n/, "");
}
