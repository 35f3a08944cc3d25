/** The original's search order for an instance's user-data file. Pure. */
import { isSafeName } from "../util/safe-name.js";

/**
 * File names to try in userdata_dir, first match wins: `<name>`, `<name>.yaml`, `<MAC>`,
 * `<MAC>.yaml`. A name that is not a single safe path component is skipped, never used.
 */
export function userdataCandidates(name: string, mac: string | undefined): string[] {
  const bases = [name, mac].filter((b): b is string => b !== undefined && isSafeName(b));
  return bases.flatMap((base) => [base, `${base}.yaml`]);
}
