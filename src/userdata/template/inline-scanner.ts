/**
 * Finds `{{ … }}` in template text exactly where bottle 0.12's inline pattern
 *   \{\{((?:STRING|[^'"\n]*?)+)\}\}
 * finds them, without its backtracking: that pattern takes exponential time on an unclosed
 * `{{` (22 characters cost bottle 4 s). A backtracking engine tries, at each position, a
 * Python string first, then the closing `}}`, then one more plain character; the first
 * success in that order is the match. Which positions reach a `}}` does not depend on where
 * the `{{` was, so one memo serves the whole text and the scan is linear (triple-quoted
 * strings aside, whose possible ends are counted against a budget). Pure.
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

/** Memo mark: no `}}` is reachable from this position. */
const FAILED = -1;

/** All inline expressions of `text`, left to right, as bottle's finditer returns them. */
export function findInlines(text: string): InlineMatch[] {
  if (!text.includes("{{")) return [];
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

  /**
   * Where the first `}}` reachable from `from` starts, or -1. Plain characters lead straight
   * on; only a quote can branch (a triple-quoted string may end at several places), so the
   * search keeps a stack of those alternatives instead of recursing.
   */
  reach(from: number): number {
    const text = this.text;
    const path: number[] = [];
    const branches: Array<{ depth: number; rest: number[] }> = [];
    let at = from;
    for (;;) {
      const known = this.memo[at] as number;
      let found = -1;
      if (known > 0) found = known - 1;
      else if (known === 0) {
        path.push(at);
        const ch = text[at];
        if (ch === "'" || ch === '"') {
          const ends = stringEnds(text, at, this);
          if (ends.length > 0) {
            if (ends.length > 1) branches.push({ depth: path.length, rest: ends.slice(1) });
            at = ends[0] as number;
            continue;
          }
        } else if (text.startsWith("}}", at)) {
          found = at;
        } else if (ch !== undefined && ch !== "\n") {
          at++;
          continue;
        }
      }
      if (found >= 0) {
        for (const p of path) this.memo[p] = found + 1;
        return found;
      }
      // Everything since the last branch failed: try that branch's next alternative.
      const branch = branches[branches.length - 1];
      const failedFrom = branch === undefined ? 0 : branch.depth;
      for (let k = failedFrom; k < path.length; k++) this.memo[path[k] as number] = FAILED;
      path.length = failedFrom;
      if (branch === undefined) return -1;
      at = branch.rest.shift() as number;
      if (branch.rest.length === 0) branches.pop();
    }
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
