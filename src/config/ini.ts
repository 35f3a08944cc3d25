/**
 * An INI reader that accepts what Python's configparser accepted, because existing
 * /etc/mdserver/mdserver.conf files were written for it: `key = value` or `key: value`,
 * full-line `#`/`;` comments, indented continuation lines, option names folded to lower
 * case, `%%` for a literal percent and `%(key)s` references within a section.
 * Unlike a generic INI library it keeps the line of every entry, so errors can point at it.
 */

/** One `key = value` line, with where it was written. */
export interface IniEntry {
  readonly value: string;
  readonly line: number;
}

/** One `[section]` and its entries, in file order. */
export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly entries: ReadonlyMap<string, IniEntry>;
}

/** A problem found while reading the file, at a line. */
export interface IniProblem {
  readonly line: number;
  readonly message: string;
}

/** The sections of a file, or the syntax problems that stopped it being read. */
export type IniResult =
  | { readonly ok: true; readonly sections: ReadonlyMap<string, IniSection> }
  | { readonly ok: false; readonly problems: readonly IniProblem[] };

const SECTION = /^\[(.+)\]\s*$/;
const OPTION = /^([^=:]+?)\s*[=:]\s*(.*)$/;

interface MutableSection {
  name: string;
  line: number;
  entries: Map<string, { value: string; line: number }>;
}

/** Parses INI text in configparser's dialect (see module comment). */
export function parseIni(text: string): IniResult {
  const sections = new Map<string, MutableSection>();
  const problems: IniProblem[] = [];
  let current: MutableSection | undefined;
  let last: { value: string; line: number } | undefined;

  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] ?? "";
    const trimmed = raw.trim();
    if (trimmed === "") {
      last = undefined;
      continue;
    }
    if (trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    if (/^\s/.test(raw) && last) {
      // configparser joins indented lines onto the value above them.
      last.value = last.value === "" ? trimmed : `${last.value}\n${trimmed}`;
      continue;
    }
    const header = SECTION.exec(trimmed);
    if (header) {
      const name = (header[1] ?? "").trim();
      last = undefined;
      if (sections.has(name)) {
        problems.push({ line: lineNo, message: `section [${name}] appears twice` });
        current = undefined;
        continue;
      }
      current = { name, line: lineNo, entries: new Map() };
      sections.set(name, current);
      continue;
    }
    const option = OPTION.exec(trimmed);
    if (!option) {
      problems.push({ line: lineNo, message: `expected "key = value", found "${trimmed}"` });
      last = undefined;
      continue;
    }
    if (!current) {
      problems.push({ line: lineNo, message: "a key appears before any [section] header" });
      continue;
    }
    const key = (option[1] ?? "").trim().toLowerCase();
    if (current.entries.has(key)) {
      problems.push({ line: lineNo, message: `${current.name}.${key} appears twice` });
      last = undefined;
      continue;
    }
    last = { value: (option[2] ?? "").trim(), line: lineNo };
    current.entries.set(key, last);
  }

  for (const section of sections.values()) interpolate(section, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, sections };
}

const REFERENCE = /%\(([^)]+)\)s/y;

/** Applies configparser's basic interpolation: `%%` and `%(key)s` from the same section. */
function interpolate(section: MutableSection, problems: IniProblem[]): void {
  const expand = (key: string, depth: number): string | undefined => {
    const entry = section.entries.get(key);
    if (!entry) return undefined;
    const raw = entry.value;
    if (!raw.includes("%")) return raw;
    let out = "";
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i];
      if (ch !== "%") {
        out += ch;
        continue;
      }
      if (raw[i + 1] === "%") {
        out += "%";
        i++;
        continue;
      }
      REFERENCE.lastIndex = i;
      const ref = REFERENCE.exec(raw);
      const target = ref?.[1]?.toLowerCase();
      const value = target && depth < 10 ? expand(target, depth + 1) : undefined;
      if (!ref || value === undefined) {
        problems.push({
          line: entry.line,
          message: `${section.name}.${key}: "%" must be written "%%" or start a %(key)s reference to a key of [${section.name}]`,
        });
        return raw;
      }
      out += value;
      i += ref[0].length - 1;
    }
    return out;
  };
  const expanded = new Map<string, string>();
  for (const key of section.entries.keys()) {
    const value = expand(key, 0);
    if (value !== undefined) expanded.set(key, value);
  }
  for (const [key, value] of expanded) {
    const entry = section.entries.get(key);
    if (entry) entry.value = value;
  }
}
