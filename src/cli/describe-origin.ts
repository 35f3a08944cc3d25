/** Where a guest's part comes from, in words, for `mdserver list` and `mdserver render`. */
import type { Part } from "../userdata/guest-part.js";
import type { UserdataOrigin } from "../userdata/userdata-service.js";

export function describeOrigin(origin: UserdataOrigin, part: Part): string {
  switch (origin.kind) {
    case "file":
      return origin.file;
    case "domain-metadata":
      return `${origin.file} (domain <metadata>)`;
    case "default-template":
      return `${origin.file} (${part === "user-data" ? "default_template" : "default"})`;
    case "builtin":
      return "(built-in)";
    case "none":
      return "(none)";
  }
}
