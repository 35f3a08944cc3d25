/**
 * Which file serves a part to a guest: the file the domain's <metadata> names, then the
 * part's candidates by name and MAC (guest-part.ts), then the part's default. The caller
 * adds the built-in step. Reads through UserdataFiles: safely, cached, edits apply at once,
 * and something unusable at a name the operator meant is an error, never skipped.
 */
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { domainMetadataOf } from "../inventory/domain-metadata.js";
import type { Identity } from "../inventory/instance.js";
import { PART_ELEMENT, partCandidates, type Part } from "./guest-part.js";
import { TemplateError } from "./template-error.js";
import type { UserdataFiles } from "./userdata-files.js";

/** Where a part comes from. */
export type PartOrigin =
  | { readonly kind: "file"; readonly file: string }
  | { readonly kind: "domain-metadata"; readonly file: string }
  | { readonly kind: "default-template"; readonly file: string }
  | { readonly kind: "builtin" }
  | { readonly kind: "none" };

/** A file found for a part, before rendering; no bytes: the built-in step. */
export interface FoundPart {
  readonly origin: PartOrigin;
  readonly bytes?: Buffer;
}

/**
 * The default of a part: user-data's is `[mdserver] default_template`; the others' are
 * `default.vendor-data`, `default.network-config` and `default.meta-data` in userdata_dir.
 */
export function partDefault(config: Config, part: Part): string | undefined {
  const { default_template, userdata_dir } = config.mdserver;
  return part === "user-data" ? default_template : join(userdata_dir, `default.${part}`);
}

/** The files to try for `part` (after a file named by <metadata>), in order. */
export function partFiles(config: Config, identity: Identity, part: Part): string[] {
  const dir = config.mdserver.userdata_dir;
  return partCandidates(part, identity.instance.name, identity.mac).map((c) => join(dir, c));
}

/**
 * Finds the template for `part`, or undefined when no file has it (the built-in step is
 * next). A file named by the domain's <metadata> that does not exist is an error for that
 * guest (TemplateError), not a silent fall-back to another file.
 */
export async function findPart(
  files: UserdataFiles,
  config: Config,
  identity: Identity,
  part: Part,
  candidates: readonly string[],
): Promise<FoundPart | undefined> {
  const named = domainMetadataOf(identity.instance).files[PART_ELEMENT[part]];
  if (named !== undefined) {
    const file = join(config.mdserver.userdata_dir, named);
    const bytes = await files.existing(file);
    if (bytes === undefined) {
      throw new TemplateError(file, 0, 0, `named by the domain's <metadata> but not found`);
    }
    return { origin: { kind: "domain-metadata", file }, bytes };
  }
  const found = await files.find(
    candidates,
    partDefault(config, part),
    part === "user-data"
      ? "(default_template) does not exist: the built-in user-data is served instead"
      : undefined,
  );
  if (found.kind === "fallback") return undefined;
  return { origin: { kind: found.kind, file: found.file }, bytes: found.bytes };
}
