/**
 * Finds elements in XML text by position, so an edit can change a few bytes and leave every
 * other byte as it was. A parse and re-serialisation would re-quote, re-indent and re-order
 * the operator's domain definition; this only locates the pieces to change.
 *
 * It understands what libvirt writes: elements, attributes in either quote, comments,
 * processing instructions and CDATA (skipped). Entities are decoded only where a value is read.
 */

/** One element's place in the text. */
export interface XmlSpan {
  readonly name: string;
  /** Index of its "<". */
  readonly start: number;
  /** Index just after its start tag (after "/>" when it is empty). */
  readonly openEnd: number;
  /** Index of its end tag "</name>", or of openEnd when it is self-closing. */
  readonly closeStart: number;
  /** Index just after the element. */
  readonly end: number;
  /** The start tag's attribute text, as written. */
  readonly attributes: string;
}

/** Raised for text that is not the XML expected. */
export class XmlTextError extends Error {
  override readonly name = "XmlTextError";
}

const ATTRS = `(?:[^>"']|"[^"]*"|'[^']*')*`;
const TOKEN = new RegExp(
  `<!--[\\s\\S]*?-->|<\\?[\\s\\S]*?\\?>|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>|<!DOCTYPE[^>]*>|<(/?)([A-Za-z_][\\w:.-]*)(${ATTRS}?)(/?)>`,
  "g",
);

/**
 * The last document's scans: a set-up looks up the same elements of one text many times
 * (an edit makes a new text, which replaces them).
 */
let memoText: string | undefined;
const memo = new Map<string, readonly XmlSpan[]>();

/** The direct children of the region [from, to) (the inside of an element, or a document). */
export function childSpans(xml: string, from = 0, to = xml.length): readonly XmlSpan[] {
  if (xml !== memoText) {
    memoText = xml;
    memo.clear();
  }
  const key = `${from}:${to}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const spans = scan(xml, from, to);
  memo.set(key, spans);
  return spans;
}

function scan(xml: string, from: number, to: number): XmlSpan[] {
  const spans: XmlSpan[] = [];
  const stack: Array<{ name: string; start: number; openEnd: number; attributes: string }> = [];
  TOKEN.lastIndex = from;
  for (let m = TOKEN.exec(xml); m !== null && m.index < to; m = TOKEN.exec(xml)) {
    const [whole, closing, name, attributes = "", selfClosing] = m;
    if (name === undefined) continue;
    const end = m.index + whole.length;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new XmlTextError(`unbalanced </${name}> at ${m.index}`);
      if (stack.length === 0) spans.push({ ...open, closeStart: m.index, end });
    } else if (selfClosing) {
      if (stack.length === 0) {
        spans.push({ name, start: m.index, openEnd: end, closeStart: end, end, attributes });
      }
    } else {
      stack.push({ name, start: m.index, openEnd: end, attributes });
    }
  }
  if (stack.length > 0) throw new XmlTextError(`<${stack[0]?.name}> is not closed`);
  return spans;
}

/** The children of `parent` (none for a self-closing one). */
export function childrenOf(xml: string, parent: XmlSpan): readonly XmlSpan[] {
  return parent.closeStart === parent.end ? [] : childSpans(xml, parent.openEnd, parent.closeStart);
}

/** The document's root element, which must be named `name`. */
export function rootElement(xml: string, name: string): XmlSpan {
  const root = childSpans(xml).find((span) => span.name === name);
  if (root === undefined) throw new XmlTextError(`no <${name}> element`);
  return root;
}

/** The value of attribute `name` in a start tag's attribute text, entities decoded. */
export function attributeOf(span: XmlSpan, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(
    span.attributes,
  );
  const raw = match?.[1] ?? match?.[2];
  return raw === undefined ? undefined : decodeEntities(raw);
}

/** The text inside an element (no child elements expected), entities decoded and trimmed. */
export function textOf(xml: string, span: XmlSpan): string {
  return decodeEntities(xml.slice(span.openEnd, span.closeStart)).trim();
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, ref: string) => {
    if (ref.startsWith("#x") || ref.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITIES[ref] ?? whole;
  });
}

/** `text` escaped for element content or a single- or double-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/'/g, "&apos;")
    .replace(/"/g, "&quot;");
}
