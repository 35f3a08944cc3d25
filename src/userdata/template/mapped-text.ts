/**
 * Text cut out of a template and pieced together (as bottle's parser does with code lines and
 * escaped lines) that still knows where each character came from, so an error inside it can
 * name the line and column in the template. Pure.
 */
import { strip } from "./py-str.js";

export class MappedText {
  /** `at[k]` is where segment k starts in `text`; `from[k]` where it starts in the source. */
  private constructor(
    readonly text: string,
    private readonly at: readonly number[],
    private readonly from: readonly number[],
    private readonly fallback: number,
  ) {}

  /** Text taken from the source at `offset`. */
  static of(text: string, offset: number): MappedText {
    return new MappedText(text, [0], [offset], offset);
  }

  /** Text built from segments (see MappedTextBuilder). */
  static fromParts(
    text: string,
    at: readonly number[],
    from: readonly number[],
    fallback: number,
  ): MappedText {
    return new MappedText(text, at, from, fallback);
  }

  /** The source offset of the character at `index` (an index at the end maps past the last character). */
  sourceOffset(index: number): number {
    if (this.at.length === 0) return this.fallback;
    let lo = 0;
    let hi = this.at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.at[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return (this.from[lo] as number) + index - (this.at[lo] as number);
  }

  /** Appends this text, mapped as it is, to `builder`. */
  appendTo(builder: MappedTextBuilder): void {
    for (let k = 0; k < this.at.length; k++) {
      const end = k + 1 < this.at.length ? (this.at[k + 1] as number) : this.text.length;
      builder.add(this.text.slice(this.at[k], end), this.from[k] as number);
    }
  }

  /** Characters `start` to `end`, still mapped. */
  slice(start: number, end = this.text.length): MappedText {
    const at: number[] = [];
    const from: number[] = [];
    for (let k = 0; k < this.at.length; k++) {
      const segStart = this.at[k] as number;
      const segEnd = k + 1 < this.at.length ? (this.at[k + 1] as number) : this.text.length;
      if (segEnd <= start || segStart >= end) continue;
      const s = Math.max(segStart, start);
      at.push(s - start);
      from.push((this.from[k] as number) + s - segStart);
    }
    return new MappedText(this.text.slice(start, end), at, from, this.sourceOffset(start));
  }

  /** Python's str.strip(), still mapped. */
  strip(): MappedText {
    const stripped = strip(this.text);
    if (stripped === "") return this.slice(0, 0);
    const start = this.text.indexOf(stripped);
    return this.slice(start, start + stripped.length);
  }
}

/** Builds a MappedText piece by piece. */
export class MappedTextBuilder {
  private text = "";
  private readonly at: number[] = [];
  private readonly from: number[] = [];

  /** Appends `text`, which starts at `offset` in the source. */
  add(text: string, offset: number): this {
    if (text === "") return this;
    this.at.push(this.text.length);
    this.from.push(offset);
    this.text += text;
    return this;
  }

  /** Characters so far. */
  get length(): number {
    return this.text.length;
  }

  /** The text so far. */
  get current(): string {
    return this.text;
  }

  /** The text built; `fallback` is the position reported for an empty text. */
  build(fallback: number): MappedText {
    return MappedText.fromParts(this.text, this.at, this.from, fallback);
  }
}
