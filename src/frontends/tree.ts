/**
 * Metadata as a tree of directories and leaves. A directory's listing is derived from its
 * entries, so a listing can only advertise what resolves: the property cloud-init's crawler
 * depends on (one listed entry that fails empties the whole crawl).
 */
import { TEXT, type Reply } from "../http/reply.js";

/** A value that answers a GET; async and possibly absent (then 404) for computed ones. */
export type Leaf =
  | { readonly kind: "leaf"; readonly body: string; readonly reply: Reply }
  | { readonly kind: "computed"; readonly answer: () => Promise<Reply | undefined> };

export interface Directory {
  readonly kind: "dir";
  readonly entries: ReadonlyMap<string, Entry>;
  /** The listing text when no entry is conditional (computed once). */
  readonly fixedListing?: string | undefined;
}

export type MetadataNode = Leaf | Directory;

/** A child of a directory. */
export interface Entry {
  readonly node: MetadataNode;
  /** The listing line when it is not the name itself (EC2's public-keys use "0=name"). */
  readonly label?: string | undefined;
  /** Reachable but not listed (aliases kept for compatibility). */
  readonly hidden?: boolean | undefined;
  /** Listed only when this says so at request time (a computed leaf that may be absent). */
  readonly listedWhen?: (() => Promise<boolean>) | undefined;
}

/** A child given as [name, node] or [name, node, options]. */
export type EntrySpec =
  readonly [string, MetadataNode] | readonly [string, MetadataNode, Omit<Entry, "node">];

/** A fixed string value; its reply is built once, as it is served again and again. */
export function leaf(body: string, contentType = TEXT): Leaf {
  return { kind: "leaf", body, reply: Object.freeze({ status: 200, body, contentType }) };
}

/** A value computed at request time. */
export function computed(answer: () => Promise<Reply | undefined>): Leaf {
  return { kind: "computed", answer };
}

/** A directory; entries whose node is undefined are left out (optional values without one). */
export function dir(
  specs: ReadonlyArray<EntrySpec | readonly [string, undefined] | undefined>,
): Directory {
  const entries = new Map<string, Entry>();
  for (const spec of specs) {
    if (spec === undefined || spec[1] === undefined) continue;
    const [name, node, options] = spec as EntrySpec;
    entries.set(name, { node, ...options });
  }
  const conditional = [...entries.values()].some((entry) => entry.listedWhen);
  const directory: Directory = { kind: "dir", entries };
  return conditional ? directory : { ...directory, fixedListing: listLines(entries, () => true) };
}

/** The listing of a directory: entries in order, joined by newlines (no trailing newline). */
export async function listing(directory: Directory): Promise<string> {
  if (directory.fixedListing !== undefined) return directory.fixedListing;
  const shown = new Set<Entry>();
  for (const entry of directory.entries.values()) {
    if (!entry.listedWhen || (await entry.listedWhen())) shown.add(entry);
  }
  return listLines(directory.entries, (entry) => shown.has(entry));
}

function listLines(
  entries: ReadonlyMap<string, Entry>,
  include: (entry: Entry) => boolean,
): string {
  return [...entries]
    .filter(([, entry]) => !entry.hidden && include(entry))
    .map(([name, entry]) => entry.label ?? (entry.node.kind === "dir" ? `${name}/` : name))
    .join("\n");
}

/** The node at `segments` below `root`, or undefined. */
export function resolveNode(
  root: MetadataNode,
  segments: readonly string[],
): MetadataNode | undefined {
  let node: MetadataNode | undefined = root;
  for (const segment of segments) {
    if (node?.kind !== "dir") return undefined;
    node = node.entries.get(segment)?.node;
  }
  return node;
}
