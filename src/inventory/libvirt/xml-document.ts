/**
 * The XML that virsh prints, read into plain objects. libvirt writes well-formed XML, so
 * anything else means the reply was cut short or is not what was asked for: it is rejected
 * outright rather than read leniently, because a half-read domain (interfaces missing) would
 * silently drop or mis-assign addresses.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

/** Raised for a reply that is not the XML document expected. */
export class LibvirtXmlError extends Error {
  override readonly name = "LibvirtXmlError";
}

/** A parsed element: attributes under "@name", children by tag name, text under "#text". */
export type XmlElement = { readonly [key: string]: unknown };

/** Creates a parser keeping attributes (as "@name") and the raw text of `rawPaths`. */
export function xmlParser(rawPaths: readonly string[] = []): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    parseTagValue: false,
    parseAttributeValue: false,
    stopNodes: [...rawPaths],
  });
}

/** Validates `xml` and returns its `root` element; throws LibvirtXmlError. */
export function parseDocument(parser: XMLParser, xml: string, root: string): XmlElement {
  const start = xml.indexOf(`<${root}`);
  if (start < 0) throw new LibvirtXmlError(`no <${root}> element in the reply`);
  const text = xml.slice(start);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new LibvirtXmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const element = (parser.parse(text) as XmlElement)[root];
  if (!isElement(element)) throw new LibvirtXmlError(`<${root}> is empty`);
  return element;
}

/** True for an element object (not text, not a list). */
export function isElement(value: unknown): value is XmlElement {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The elements under `key`: none, one or several, always as a list. */
export function children(parent: XmlElement | undefined, key: string): XmlElement[] {
  const value = parent?.[key];
  const list = Array.isArray(value) ? (value as unknown[]) : value === undefined ? [] : [value];
  return list.filter(isElement);
}

/** The single child element under `key`, if there is one. */
export function child(parent: XmlElement | undefined, key: string): XmlElement | undefined {
  return children(parent, key)[0];
}

/** An attribute's value, if present. */
export function attribute(element: XmlElement | undefined, name: string): string | undefined {
  const value = element?.[`@${name}`];
  return typeof value === "string" ? value : undefined;
}

/** The text content of the element under `key` (`<name>x</name>` or one with attributes). */
export function text(parent: XmlElement | undefined, key: string): string | undefined {
  const value = parent?.[key];
  if (typeof value === "string") return value;
  if (isElement(value) && typeof value["#text"] === "string") return value["#text"];
  return undefined;
}
