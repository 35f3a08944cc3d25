/**
 * Finds `{{ … }}` in template text exactly where bottle 0.12's inline pattern
 *   \{\{((?:STRING|[^'"\n]*?)+)\}\}
 * finds them, without its backtracking: that pattern takes exponential time on an unclosed
 * `{{` (22 characters cost bottle 4 s). A backtracking engine tries, at each position, a
 * Python string first, then the closing `}}`, then one more plain character; the first
 * success in that order is the match. Which positions reach a `}}` does not depend on where
 * the `{{` was, so one memo serves the whole text and the scan is linear. Pure.
 */

/** A `{{…}}`: `start` of the braces, `end` after them, the inside from `innerStart` to `innerEnd`. */
export interface InlineMatch {
  readonly start: number;
  readonly innerStart: number;
  readonly innerEnd: number;
  readonly end: number;
}

/** Thrown when a text would need more work than any sensible template (nested quote tricks). */
export class ScanBudgetExceeded extends Error {}

/** A successor meaning "the closing braces here". */
const TAIL = -1;
/** Memo mark: no `}}` is reachable from this position. */
const FAILED = -1;

/** All inline expressions of `text`, left to right, as bottle's finditer returns them. */
export function findInlines(text: string): InlineMatch[] {
  const scanner = new Scanner(text);
  const out: InlineMatch[] = [];
  let pos = 0;
  for (;;) {
    const start = text.indexOf("{{", pos);
    if (start < 0) return out;
    const close = scanner.reach(start + 2);
    if (close < 0) {
      pos = start + 1;
      continue;
    }
    out.push({ start, innerStart: start + 2, innerEnd: close, end: close + 2 });
    pos = close + 2;
  }
}

class Scanner {
  /** 0: unknown, -1: no `}}` reachable, e + 1: the first `}}` reached is at e. */
  private readonly memo: Int32Array;
  private budget: number;

  constructor(private readonly text: string) {
    this.memo = new Int32Array(text.length + 2);
    this.budget = 8 * text.length + 100_000;
  }

  /** Where the first `}}` reachable from `from` starts, or -1. Depth-first, in the regex's order. */
  reach(from: number): number {
    const known = this.memo[from] as number;
    if (known === FAILED) return -1;
    if (known > 0) return known - 1;
    const stack: Array<{ at: number; next: number[]; k: number }> = [
      { at: from, next: this.successors(from), k: 0 },
    ];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { at: number; next: number[]; k: number };
      if (frame.k === frame.next.length) {
        this.memo[frame.at] = FAILED;
        stack.pop();
        continue;
      }
      const step = frame.next[frame.k++] as number;
      let found = -1;
      if (step === TAIL) found = frame.at;
      else {
        const m = this.memo[step] as number;
        if (m === FAILED) continue;
        if (m === 0) {
          stack.push({ at: step, next: this.successors(step), k: 0 });
          continue;
        }
        found = m - 1;
      }
      for (const f of stack) this.memo[f.at] = found + 1;
      return found;
    }
    return -1;
  }

  /** What the pattern tries at `at`, in order: after each string, the `}}`, after one plain character. */
  private successors(at: number): number[] {
    const text = this.text;
    const out = stringEnds(text, at, this);
    if (text.startsWith("}}", at)) out.push(TAIL);
    const ch = text[at];
    if (ch !== undefined && ch !== "'" && ch !== '"' && ch !== "\n") out.push(at + 1);
    return out;
  }

  /** Counts work; a text needing too much is refused rather than scanned for ever. */
  spend(n: number): void {
    this.budget -= n;
    if (this.budget < 0) throw new ScanBudgetExceeded("template text too complex to scan");
  }
}

/**
 * Ends of the Python string literals the pattern can match at `at`, in the order it tries
 * them: '' (not followed by '), six quotes, a one-line-quoted string, then each possible end
 * of a triple-quoted one, shortest first (its lazy loop may be extended on backtracking).
 */
export function stringEnds(text: string, at: number, meter?: { spend(n: number): void }): number[] {
  const q = text[at];
  if (q !== "'" && q !== '"') return [];
  const out: number[] = [];
  if (text[at + 1] === q && text[at + 2] !== q) out.push(at + 2);
  if (text.startsWith(q.repeat(6), at)) out.push(at + 6);
  const single = singleQuotedEnd(text, at + 1, q);
  if (single >= 0) out.push(single);
  if (text.startsWith(q.repeat(3), at)) {
    const triple = q.repeat(3);
    let k = at + 3;
    for (let items = 0; ; items++) {
      if (items > 0 && text.startsWith(triple, k)) out.push(k + 3);
      const next = advanceItem(text, k, "");
      if (next < 0) break;
      k = next;
    }
    meter?.spend(k - at);
  }
  return out;
}

/** End of '…' whose body starts at `k` (at least one item, no bare quote or backslash-newline), or -1. */
function singleQuotedEnd(text: string, k: number, q: string): number {
  for (let items = 0; ; items++) {
    const ch = text[k];
    if (ch === undefined) return -1;
    if (ch === q) return items > 0 ? k + 1 : -1;
    const next = advanceItem(text, k, q);
    if (next < 0) return -1;
    k = next;
  }
}

/** Past one item `[^\\q]|\\.` at `k` (`.`: anything but a newline), or -1. */
function advanceItem(text: string, k: number, q: string): number {
  const ch = text[k];
  if (ch === undefined || (q !== "" && ch === q)) return -1;
  if (ch !== "\\") return k + 1;
  const escaped = text[k + 1];
  return escaped === undefined || escaped === "\n" ? -1 : k + 2;
}
