/**
 * mdserver's own settings in a libvirt domain's <metadata>: the element in the namespace
 * MDS_NAMESPACE (any prefix), e.g.
 *   <mds:instance xmlns:mds="https://mdserver.dev/xmlns/instance/1">
 *     <mds:userdata>web.yaml</mds:userdata>
 *     <mds:value name="role">web</mds:value>
 *     <mds:tag name="Environment">production</mds:tag>
 *   </mds:instance>
 * Other applications' elements are ignored. Pure.
 */
import { SaxesParser } from "saxes";

/** The XML namespace of mdserver's element in a domain's <metadata>. */
export const MDS_NAMESPACE = "https://mdserver.dev/xmlns/instance/1";

/** The elements that name a file in userdata_dir for one part, by local name. */
export const PART_ELEMENTS = ["userdata", "vendor-data", "network-config", "meta-data"] as const;
export type PartElement = (typeof PART_ELEMENTS)[number];

/** What a domain's <metadata> says for mdserver. */
export interface DomainMetadata {
  /** File names (relative to userdata_dir) chosen per part. */
  readonly files: Readonly<Partial<Record<PartElement, string>>>;
  /** Template values, by name. */
  readonly values: Readonly<Record<string, string>>;
  /** Instance tags (EC2 tags/instance/, OpenStack meta), by name. */
  readonly tags: Readonly<Record<string, string>>;
  /** What in it was not understood (unknown element, missing name): for logs and render. */
  readonly problems: readonly string[];
}

/** Nothing set. */
export const NO_DOMAIN_METADATA: DomainMetadata = Object.freeze({
  files: Object.freeze({}),
  values: Object.freeze({}),
  tags: Object.freeze({}),
  problems: Object.freeze([]) as readonly string[],
});

/**
 * Reads mdserver's settings from `metadataXml` (the whole <metadata> element as text). A
 * later element with the same name replaces an earlier one. XML that does not parse is
 * reported as a problem, never thrown: libvirt only stores well-formed XML anyway.
 */
export function parseDomainMetadata(metadataXml: string | undefined): DomainMetadata {
  if (metadataXml === undefined || !metadataXml.includes(MDS_NAMESPACE)) {
    return NO_DOMAIN_METADATA;
  }
  const files: Partial<Record<PartElement, string>> = {};
  const values: Record<string, string> = {};
  const tags: Record<string, string> = {};
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  // Depth inside our root element (0: outside), and the child being read.
  let depth = 0;
  let child: { local: string; name: string | undefined; text: string } | undefined;
  parser.on("opentag", (tag) => {
    if (depth > 0) depth += 1;
    else if (tag.uri === MDS_NAMESPACE) depth = 1;
    if (depth === 2 && tag.uri === MDS_NAMESPACE) {
      const name = tag.attributes["name"];
      child = { local: tag.local, name: typeof name === "string" ? name : name?.value, text: "" };
    }
  });
  parser.on("text", (text) => {
    if (child !== undefined && depth === 2) child.text += text;
  });
  parser.on("closetag", () => {
    if (depth === 2 && child !== undefined) {
      apply(child.local, child.name, child.text);
      child = undefined;
    }
    if (depth > 0) depth -= 1;
  });
  const apply = (local: string, name: string | undefined, text: string) => {
    if ((PART_ELEMENTS as readonly string[]).includes(local) || local === "user-data") {
      const part = local === "user-data" ? "userdata" : (local as PartElement);
      const file = text.trim();
      if (isInsideName(file)) files[part] = file;
      else problems.push(`<${local}> "${file}" is not a file name inside userdata_dir`);
    } else if (local === "value" || local === "tag") {
      if (name === undefined || name === "") problems.push(`<${local}> without a name`);
      else (local === "value" ? values : tags)[name] = text;
    } else {
      problems.push(`unknown element <${local}>`);
    }
  };
  try {
    parser.write(metadataXml).close();
  } catch (error) {
    problems.push(`malformed XML: ${(error as Error).message}`);
  }
  return { files, values, tags, problems };
}

/**
 * True for a relative path whose every component is a plain name: no "..", ".", empty
 * component, backslash or NUL, so it can only name something inside userdata_dir.
 */
export function isInsideName(path: string): boolean {
  if (path === "" || path.startsWith("/") || path.includes("\\") || path.includes("\0")) {
    return false;
  }
  return path.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

const parsed = new WeakMap<object, DomainMetadata>();

/** parseDomainMetadata of an instance's <metadata>, once per instance object (they are immutable). */
export function domainMetadataOf(instance: {
  readonly metadataXml?: string | undefined;
}): DomainMetadata {
  let found = parsed.get(instance);
  if (found === undefined) {
    found = parseDomainMetadata(instance.metadataXml);
    parsed.set(instance, found);
  }
  return found;
}
