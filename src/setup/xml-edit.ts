/**
 * Small edits of XML text that keep the surrounding layout: a new child goes on its own line
 * with its siblings' indentation, a removed one takes its line with it. Each returns the new
 * text; positions found before an edit are stale after it, so callers find again.
 */
import { childrenOf, escapeXml, type XmlSpan } from "./xml-text.js";

/** The whitespace between the start of `index`'s line and `index`, or undefined if not blank. */
function blankPrefix(xml: string, index: number): string | undefined {
  const lineStart = xml.lastIndexOf("\n", index - 1) + 1;
  const prefix = xml.slice(lineStart, index);
  return /^[ \t]*$/.test(prefix) ? prefix : undefined;
}

/** One level of indentation as this document writes it (two spaces when it cannot tell). */
function indentUnit(xml: string, parent: XmlSpan): string {
  const outer = blankPrefix(xml, parent.start) ?? "";
  const first = childrenOf(xml, parent)[0];
  const inner = first === undefined ? undefined : blankPrefix(xml, first.start);
  if (inner !== undefined && inner.startsWith(outer) && inner.length > outer.length) {
    return inner.slice(outer.length);
  }
  return "  ";
}

/**
 * Lays out an element given as lines (each a tag, nesting shown by leading "  " steps): on
 * separate lines at `indent` plus the unit per step, or on one line when `indent` is undefined.
 */
function layout(lines: readonly string[], indent: string | undefined, unit: string): string {
  if (indent === undefined) return lines.map((line) => line.trim()).join("");
  return lines
    .map((line) => {
      const steps = (line.length - line.trimStart().length) / 2;
      return `${indent}${unit.repeat(steps)}${line.trimStart()}\n`;
    })
    .join("");
}

/** Inserts `lines` as the last child of `parent` (which must not be self-closing). */
export function appendChild(xml: string, parent: XmlSpan, lines: readonly string[]): string {
  const unit = indentUnit(xml, parent);
  const closeIndent = blankPrefix(xml, parent.closeStart);
  if (closeIndent === undefined) {
    return splice(xml, parent.closeStart, parent.closeStart, layout(lines, undefined, unit));
  }
  const lineStart = parent.closeStart - closeIndent.length;
  return splice(xml, lineStart, lineStart, layout(lines, closeIndent + unit, unit));
}

/** Inserts `lines` as a sibling just before `sibling`, at its indentation. */
export function insertBefore(
  xml: string,
  parent: XmlSpan,
  sibling: XmlSpan,
  lines: readonly string[],
): string {
  const unit = indentUnit(xml, parent);
  const indent = blankPrefix(xml, sibling.start);
  if (indent === undefined) {
    return splice(xml, sibling.start, sibling.start, layout(lines, undefined, unit));
  }
  const lineStart = sibling.start - indent.length;
  return splice(xml, lineStart, lineStart, layout(lines, indent, unit));
}

/** Removes an element, and its line when it stands alone on it. */
export function removeElement(xml: string, span: XmlSpan): string {
  const indent = blankPrefix(xml, span.start);
  const lineEnd = xml.startsWith("\n", span.end) ? span.end + 1 : undefined;
  if (indent !== undefined && lineEnd !== undefined) {
    return splice(xml, span.start - indent.length, lineEnd, "");
  }
  return splice(xml, span.start, span.end, "");
}

/** Replaces the content of an element with `text` (escaped). */
export function replaceText(xml: string, span: XmlSpan, text: string): string {
  if (span.closeStart === span.end) {
    // <x/> becomes <x>text</x>.
    const tag = xml.slice(span.start, span.end).replace(/\s*\/>$/, ">");
    return splice(xml, span.start, span.end, `${tag}${escapeXml(text)}</${span.name}>`);
  }
  return splice(xml, span.openEnd, span.closeStart, escapeXml(text));
}

function splice(xml: string, from: number, to: number, insert: string): string {
  return `${xml.slice(0, from)}${insert}${xml.slice(to)}`;
}
