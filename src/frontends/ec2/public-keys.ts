/** meta-data/public-keys/: "0=name" listing, N/openssh-key values. */
import type { PublicKey } from "../../config/config.js";
import { dir, leaf, type Directory, type EntrySpec } from "../tree.js";

export function publicKeysTree(keys: readonly PublicKey[]): Directory {
  const specs: EntrySpec[] = [];
  keys.forEach(({ name, key }, index) => {
    const keyDir = dir([["openssh-key", leaf(key)]]);
    specs.push([String(index), keyDir, { label: `${index}=${name}` }]);
  });
  // The original also answered public-keys/<name>/openssh-key; kept, but not listed.
  keys.forEach(({ name }, index) => {
    const byIndex = specs[index];
    if (byIndex && !/^\d+$/.test(name)) specs.push([name, byIndex[1], { hidden: true }]);
  });
  return dir(specs);
}
