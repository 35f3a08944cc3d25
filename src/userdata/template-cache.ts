/**
 * Compiled templates by file and text, so guests sharing a template (a default_template
 * serving thousands) compile it once: compiling costs 3-6× a rendering (bench/templates).
 * A template that does not compile is remembered too, with its error. Bounded: the oldest
 * entry goes when it is full; an edited file is a new text, so stale entries just age out.
 */
import { type CompiledTemplate, compileTemplate } from "./template/compile-template.js";

const MAX_ENTRIES = 64;

type Entry = { readonly template: CompiledTemplate } | { readonly error: unknown };

export class TemplateCache {
  private readonly entries = new Map<string, Entry>();

  /** The compiled template for `source` read from `file`; throws its TemplateError if it has one. */
  get(source: string, file: string): CompiledTemplate {
    const key = `${file}\0${source}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      try {
        entry = { template: compileTemplate(source, file) };
      } catch (error) {
        entry = { error };
      }
      if (this.entries.size >= MAX_ENTRIES)
        this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, entry);
    }
    if ("error" in entry) throw entry.error;
    return entry.template;
  }
}
