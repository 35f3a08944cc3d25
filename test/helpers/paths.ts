import { fileURLToPath } from "node:url";

/** The repository root (tests run from build/test/…, sources stay in test/). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A path under test/fixtures/ in the source tree. */
export function fixture(relative: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${relative}`, import.meta.url));
}
