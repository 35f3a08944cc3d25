/** bottle's html_escape: & < > " ' (in that order), so output matches the original byte for byte. Pure. */
const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#039;",
};

/** Escapes the five characters bottle escapes in `{{…}}`. */
export function htmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}
