import { readFileSync } from "node:fs";

// Set by the package build (packaging/bundle.mjs), where no package.json ships beside the code.
declare const MDSERVER_BUNDLED_VERSION: string | undefined;

/** The program version, from package.json (one source of truth). */
export const VERSION: string =
  typeof MDSERVER_BUNDLED_VERSION === "string"
    ? MDSERVER_BUNDLED_VERSION
    : (
        JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
          version: string;
        }
      ).version;
