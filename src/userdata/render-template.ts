/**
 * Renders user-data templates written for the original tool, which used bottle's
 * SimpleTemplate: `{{name}}` inserts a value HTML-escaped (as bottle did), `{{!name}}` inserts
 * it raw. Pure: no I/O.
 */
import { TemplateError } from "./template-error.js";

const EXPRESSION = /\{\{(!?)\s*(.*?)\s*\}\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CODE_LINE = /^\s*%(?!%)/;

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#039;",
};

/** bottle's html_escape, so templates render byte-for-byte as they did under the original. */
export function htmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Renders `source` with `values`; throws TemplateError naming `file` and the line. */
export function renderTemplate(
  source: string,
  values: ReadonlyMap<string, string>,
  file: string,
): string {
  const lines = source.split("\n");
  return lines
    .map((line, index) => {
      const lineNo = index + 1;
      if (CODE_LINE.test(line)) {
        throw new TemplateError(
          file,
          lineNo,
          "template code lines (starting with %) are not supported by this version",
        );
      }
      const text = line.replace(/^(\s*)%%/, "$1%");
      return text.replace(EXPRESSION, (_match, bang: string, expression: string) => {
        if (!NAME.test(expression)) {
          throw new TemplateError(
            file,
            lineNo,
            `{{${bang}${expression}}}: only plain value names are supported, such as {{hostname}}`,
          );
        }
        const value = values.get(expression);
        if (value === undefined) {
          throw new TemplateError(
            file,
            lineNo,
            `{{${bang}${expression}}}: no value named "${expression}"`,
            `known: ${[...values.keys()].sort().join(", ")}`,
          );
        }
        return bang === "!" ? value : htmlEscape(value);
      });
    })
    .join("\n");
}
