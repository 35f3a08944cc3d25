/**
 * The meta-data part (`NAME.meta-data`…): a YAML mapping of extra meta-data, rendered as a
 * template first. Known keys: `tags` (a mapping: EC2 tags/instance/, OpenStack meta),
 * `availability-zone` and `instance-type` (EC2 placement/ and instance-type, OpenStack's
 * availability_zone). Every key also goes into the NoCloud meta-data. Pure.
 */
import { isMap, isScalar, parseDocument } from "yaml";
import { TemplateError } from "./template-error.js";

/** What the meta-data part says. */
export interface ExtraMetaData {
  readonly tags: Readonly<Record<string, string>>;
  readonly availabilityZone?: string | undefined;
  readonly instanceType?: string | undefined;
  /** The whole mapping as read. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** No extra meta-data. */
export const NO_EXTRA_META_DATA: ExtraMetaData = Object.freeze({
  tags: Object.freeze({}),
  fields: Object.freeze({}),
});

/**
 * Reads the rendered meta-data `text` of `file`. Throws TemplateError with the line and
 * column of the problem: it does not parse, is not a mapping, or a known key has the wrong
 * kind of value. An empty document (only comments) is no extra meta-data.
 */
export function parseExtraMetaData(text: string, file: string): ExtraMetaData {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined) => {
    const before = text.slice(0, offset ?? 0);
    const line = before.split("\n").length;
    return [line, before.length - before.lastIndexOf("\n")] as const;
  };
  const fail = (offset: number | undefined, problem: string): never => {
    const [line, column] = where(offset);
    throw new TemplateError(file, line, column, problem);
  };
  const error = doc.errors[0];
  if (error) fail(error.pos[0], `meta-data is not valid YAML: ${error.message.split("\n")[0]}`);
  if (doc.contents === null) return NO_EXTRA_META_DATA;
  if (!isMap(doc.contents)) fail(doc.contents.range?.[0], "meta-data must be a YAML mapping");
  const fields = doc.toJS() as Record<string, unknown>;
  const text1 = (key: string): string | undefined => {
    const node = doc.get(key, true);
    if (node === undefined) return undefined;
    if (!isScalar(node) || node.value === null || typeof node.value === "object") {
      return fail((node as { range?: number[] }).range?.[0], `${key} must be a single value`);
    }
    return String(node.value);
  };
  const tags: Record<string, string> = {};
  const tagNode = doc.get("tags", true);
  if (tagNode !== undefined) {
    if (!isMap(tagNode))
      fail((tagNode as { range?: number[] }).range?.[0], "tags must be a mapping");
    for (const pair of (tagNode as { items: Array<{ key: unknown; value: unknown }> }).items) {
      const { key, value } = pair;
      if (
        !isScalar(key) ||
        !isScalar(value) ||
        value.value === null ||
        typeof value.value === "object"
      ) {
        fail(isScalar(key) ? key.range?.[0] : undefined, "each tag must be NAME: value");
      }
      tags[String((key as { value: unknown }).value)] = String((value as { value: unknown }).value);
    }
  }
  return {
    tags,
    availabilityZone: text1("availability-zone"),
    instanceType: text1("instance-type"),
    fields,
  };
}
