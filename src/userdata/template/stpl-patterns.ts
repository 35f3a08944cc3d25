/**
 * bottle 0.12's StplParser patterns (default syntax `<% %> % {{ }}`), translated from Python's
 * `re` to JavaScript without changing what they match: Python's multiline `^` and `$` see only
 * "\n" (JavaScript's also see "\r", U+2028, U+2029), `.` stops only at "\n", and `\b` after a
 * keyword uses Python's Unicode word characters. Like bottle, the lexer matches them against
 * the rest of the text, so `^` also matches where the previous token ended.
 */

const BOL = "(?<![^\\n])"; // Python (?m)^
const EOL = "(?![^\\n])"; // Python (?m)$
const DOT = "[^\\n]";
const WORD_END = "(?![\\p{L}\\p{N}_])"; // Python \b after a word character

/** Python string literals as bottle's tokenizer recognises them (group 1 of the code pattern). */
const STRING =
  `[urbURB]?(?:''(?!')|""(?!")|'{6}|"{6}` +
  `|'(?:[^\\\\']|\\\\${DOT})+?'|"(?:[^\\\\"]|\\\\${DOT})+?"` +
  `|'{3}(?:[^\\\\]|\\\\${DOT}|\\n)+?'{3}|"{3}(?:[^\\\\]|\\\\${DOT}|\\n)+?"{3})`;

/**
 * Start of a code line or block: indentation, an optional backslash (escape), `%` or `<%`,
 * and an optional second `%` (the old escape). Groups: 1 backslash, 2 the token, 4 `<%`, 5 `%`.
 */
export const SPLIT = new RegExp(`${BOL}[ \\t]*(\\\\?)((%)|(<%))(%?)`, "u");

/**
 * One token of code: 1 string, 2 comment, 3 opening and 4 closing bracket, 5 a block keyword
 * and 6 a continuing keyword (only where a statement can start), 7 bottle's `end`, 8 `%>` at
 * the end of a line, 9 a newline. Everything between tokens is plain code.
 */
export const TOKEN = new RegExp(
  `(${STRING})|(#${DOT}*)|([\\[\\{\\(])|([\\]\\}\\)])` +
    `|${BOL}([ \\t]*(?:if|for|while|with|try|def|class)${WORD_END})` +
    `|${BOL}([ \\t]*(?:elif|else|except|finally)${WORD_END})` +
    `|((?:${BOL}|;)[ \\t]*end[ \\t]*(?=(?:%>[ \\t]*)?\\r?${EOL}|;|#))` +
    `|(%>[ \\t]*(?=\\r?${EOL}))` +
    `|(\\r?\\n)`,
  "u",
);
