/**
 * Random templates from the supported grammar, for comparing the engine with bottle: text with
 * awkward characters and `{{…}}`, `%` lines (blocks, assignments, comments, `end`), escapes,
 * `<% %>` blocks, mixed line endings. Bounded: small literals and loops, at most 3 levels.
 */
import type { TemplateValue } from "../../src/userdata/template/compile-template.js";

/** The values every random template is rendered with. */
export const FUZZ_VALUES: Record<string, TemplateValue> = {
  a: "x<y",
  b: "",
  n: 3,
  f: 2.5,
  t: true,
  z: null,
  s: "a,b,c",
  xs: ["p", "q", "r"],
  d: { k: "v", j: "w" },
};

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  private readonly vars = ["a", "b", "n", "f", "t", "z", "s", "xs", "d"];

  constructor(private readonly r: () => number) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)] as T;
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  stringLiteral(): string {
    const q = this.pick(["'", '"']);
    let body = "";
    for (let i = this.int(0, 4); i > 0; i--) {
      const ch = this.pick([
        "a",
        "b",
        ",",
        " ",
        "<",
        "&",
        "{",
        "}",
        "%",
        "'",
        '"',
        "\\n",
        "\\\\",
        "é",
        "\\t",
        "-",
      ]);
      body += ch === q ? `\\${ch}` : ch;
    }
    return this.chance(0.05) ? `${q}${body}${q} ${q}x${q}` : `${q}${body}${q}`;
  }

  expr(depth: number): string {
    if (depth <= 0 || this.chance(0.3)) return this.atom();
    const e = () => this.expr(depth - 1);
    switch (this.int(0, 13)) {
      case 0:
        return `${e()} ${this.pick(["+", "-", "*", "//", "%", "/"])} ${e()}`;
      case 1:
        return `${e()} ${this.pick(["==", "!=", "<", "<=", ">", ">=", "in", "not in"])} ${e()}`;
      case 2:
        return `${e()} ${this.pick(["and", "or"])} ${e()}`;
      case 3:
        return `not ${e()}`;
      case 4:
        return `(${e()} if ${e()} else ${e()})`;
      case 5:
        return `${this.pick(["len", "str", "int", "sorted", "min", "max", "bool", "repr", "abs", "list", "tuple"])}(${e()})`;
      case 6:
        return `${this.atom()}.${this.pick(["upper()", "lower()", "strip()", "split(',')", "replace('a', 'b')", "startswith('a')", "count('a')", "find(',')", "get('k', 0)", "items()", "split()"])}`;
      case 7:
        return `${this.stringLiteral()}.join(${e()})`;
      case 8:
        return `'{}|{!r}'.format(${e()}, ${e()})`;
      case 9:
        return `${this.atom()}[${this.int(-3, 3)}]`;
      case 10:
        return `${this.atom()}[${this.pick(["", "1", "-2"])}:${this.pick(["", "2", "-1"])}${this.pick(["", ":2", ":-1"])}]`;
      case 11:
        return `[${e()}, ${e()}]`;
      case 12:
        return `[${this.pick(["c", "c * 2", "str(c)"])} for c in ${this.pick(["xs", "s", "range(3)", "'ab'"])} if ${this.pick(["c", "c != 'a'", "True"])}]`;
      default:
        return `'%s-%s' % (${e()}, ${e()})`;
    }
  }

  atom(): string {
    switch (this.int(0, 6)) {
      case 0:
      case 1:
        return this.pick([...this.vars, "i", "x"]);
      case 2:
        return String(this.int(-2, 12));
      case 3:
        return this.pick(["0.5", "2.25", "1e3", "1.0", "0.1", "-1.5", "1e16", "0.0001"]);
      case 4:
        return this.pick(["None", "True", "False", "()", "(1,)", "[]", "{'k': 1}", "range(3)"]);
      default:
        return this.stringLiteral();
    }
  }

  text(): string {
    let out = "";
    for (let i = this.int(0, 4); i > 0; i--) {
      if (this.chance(0.35))
        out += `{{${this.pick(["", " ", "!", " !"])}${this.expr(2)}${this.pick(["", " "])}}}`;
      else
        out += this.pick([
          "a",
          "b c",
          " ",
          "\t",
          "<&>",
          "'",
          '"',
          "{",
          "}",
          "{{",
          "}}",
          "%",
          "\\",
          "\\\\",
          "%>",
          "<%",
          "end",
          "if",
          "#",
        ]);
    }
    return out;
  }

  ending(): string {
    return this.pick(["\n", "\n", "\n", "\n", "\n", "\n", "\r\n", "\\\\\n", "\\\n"]);
  }

  /**
   * After a code line: no single backslash, which Python would join with the next generated
   * line even when that is text (mdserver refuses that; see the README).
   */
  codeEnding(): string {
    return this.pick(["\n", "\n", "\n", "\n", "\r\n", "\\\\\n"]);
  }

  template(): string {
    const lines: string[] = [];
    let depth = 0;
    for (let count = this.int(1, 14); count > 0; count--) {
      const indent = this.pick(["", "", "", " ", "  ", "\t"]);
      const kind = this.int(0, 19);
      if (kind < 7) {
        lines.push(this.text() + this.ending());
      } else if (kind < 9 && depth < 3) {
        const loopVar = this.pick(["i", "x", "k, v"]);
        const header = this.chance(0.5)
          ? `if ${this.expr(2)}:`
          : `for ${loopVar} in ${loopVar === "k, v" ? "d.items()" : this.pick(["xs", "s", "range(3)", "'ab'", "d", "enumerate(xs)"])}:`;
        lines.push(
          `${indent}%${this.pick([" ", ""])}${header}${this.codeEnding()}`,
          this.text() + "\n",
        );
        depth++;
      } else if (kind < 11 && depth > 0) {
        lines.push(
          `${indent}% ${this.pick(["end", "end", "else:", "elif n:", "end # done", "x = 1; end"])}${this.codeEnding()}`,
        );
        if (!lines[lines.length - 1]?.includes("el")) depth--;
        else lines.push(`${this.text()}\n`);
      } else if (kind < 13) {
        lines.push(
          `${indent}% ${this.pick(["x", "i", "t"])} ${this.pick(["=", "=", "+="])} ${this.expr(2)}${this.codeEnding()}`,
        );
      } else if (kind < 14) {
        lines.push(
          `${indent}%${this.pick(["", " pass", " # note", " x = 1  # set"])}${this.codeEnding()}`,
        );
      } else if (kind < 16) {
        lines.push(
          `${indent}${this.pick(["%%", "\\%", "\\<%", "%%%"])}${this.text()}${this.ending()}`,
        );
      } else if (kind < 17) {
        lines.push(`${indent}<% x = ${this.expr(1)} %>${this.codeEnding()}`);
      } else if (kind < 18) {
        lines.push(
          `<%\nx = ${this.expr(1)}\nif x:\n  y = 1\nelse:\n  y = 2\nend\n%>${this.codeEnding()}`,
        );
      } else {
        lines.push(`${indent}% if ${this.expr(1)}: y = ${this.expr(1)}${this.codeEnding()}% end\n`);
      }
    }
    const source = lines.join("");
    return this.chance(0.2) ? source.replace(/\r?\n$/, "") : source;
  }
}

type Kind = "str" | "int" | "float" | "bool" | "strs" | "any";

/**
 * Well-typed expressions in well-formed blocks: these mostly render, so the evaluator's results
 * (not just its errors) are compared. Compound expressions are parenthesized.
 */
class TypedGen extends Gen {
  typed(kind: Kind, depth: number): string {
    if (kind === "any") {
      if (this.chance(0.15))
        return this.pick([
          "None",
          "(1, 'a')",
          "d",
          "d.items()",
          "range(2, 9, 3)",
          "z",
          "list(range(3))",
          "(n,)",
        ]);
      return this.typed(this.pick(["str", "int", "float", "bool", "strs"] as const), depth);
    }
    if (depth <= 0 || this.chance(0.25)) return this.leaf(kind);
    const t = (k: Kind) => this.typed(k, depth - 1);
    const options: Record<Exclude<Kind, "any">, (() => string)[]> = {
      str: [
        () => `${t("str")} + ${t("str")}`,
        () => `str(${t("any")})`,
        () =>
          `${t("str")}.${this.pick(["upper()", "lower()", "strip()", "replace('a', 'b')", "strip('a')"])}`,
        () => `${this.stringLiteral()}.join(${t("strs")})`,
        () => `'{}|{!r}'.format(${t("any")}, ${t("any")})`,
        () => `'%s-%r' % (${t("any")}, ${t("any")})`,
        () => `${t("str")}[${this.pick(["1:", ":-1", "::-1", "::2", "-2:"])}]`,
        () => `${t("str")} if ${t("bool")} else ${t("str")}`,
        () => `${t("str")} * ${this.int(0, 3)}`,
        () => `'{:>6}{:<4}{:^5}'.format(${t("str")}, ${t("int")}, ${t("str")})`,
        () =>
          `'{:.2f} {:e} {:g} {:,}'.format(${t("float")}, ${t("float")}, ${t("float")}, ${t("int")})`,
        () => `repr(${t("any")})`,
      ],
      int: [
        () => `${t("int")} ${this.pick(["+", "-", "*"])} ${t("int")}`,
        () => `${t("int")} ${this.pick(["//", "%"])} ${this.pick(["3", "-2", "7"])}`,
        () => `-${t("int")}`,
        () => `len(${this.pick([t("str"), t("strs")])})`,
        () => `${t("str")}.${this.pick(["count('a')", "find(',')", "count('')"])}`,
        () => `sum(${this.pick(["[1, 2, 3]", "range(5)", `[${t("int")}, ${t("int")}]`])})`,
        () => `${this.pick(["min", "max"])}(${t("int")}, ${t("int")})`,
        () => `abs(${t("int")})`,
        () => `int(${this.pick(["'12'", "' -3 '", "2.9", "-2.9", "'0x1f', 16"])})`,
      ],
      float: [
        () => `${t("int")} / ${this.pick(["3", "7", "-4"])}`,
        () => `${t("float")} ${this.pick(["+", "-", "*"])} ${this.pick([t("float"), t("int")])}`,
        () => `${t("float")} ${this.pick(["//", "%"])} ${this.pick(["1.5", "-2", "0.25"])}`,
        () => `float(${this.pick([t("int"), "'2.5'", "' 1e2 '"])})`,
        () => `abs(${t("float")})`,
      ],
      bool: [
        () => `${t("int")} ${this.pick(["<", "<=", "==", "!=", ">", ">="])} ${t("int")}`,
        () => `${t("str")} ${this.pick(["<", "==", "in", "not in"])} ${t("str")}`,
        () => `not ${t("bool")}`,
        () => `${t("bool")} ${this.pick(["and", "or"])} ${t("any")}`,
        () => `${t("str")}.${this.pick(["startswith('a')", "endswith(('x', 'c'))"])}`,
        () => `${t("any")} ${this.pick(["is None", "is not None"])}`,
        () => `${t("str")} in ${t("strs")}`,
        () => `bool(${t("any")})`,
        () => `${t("strs")} ${this.pick(["<", "=="])} ${t("strs")}`,
      ],
      strs: [
        () => `[${t("str")}, ${t("str")}]`,
        () =>
          `sorted(${this.pick(["xs", t("str"), t("strs")])}${this.pick(["", ", reverse=True"])})`,
        () => `${t("str")}.split(${this.pick(["", "','", "None, 1"])})`,
        () =>
          `[c${this.pick(["", " * 2", " + 'x'"])} for c in ${t("str")} if c ${this.pick(["!= 'a'", "> 'a'", "in 'abc'"])}]`,
        () => `${t("strs")}[${this.pick(["1:", "::-1", ":2"])}]`,
        () => `${t("strs")} + ${t("strs")}`,
        () => `list(d.${this.pick(["keys()", "values()"])})`,
      ],
    };
    return `(${this.pick(options[kind])()})`;
  }

  private leaf(kind: Exclude<Kind, "any">): string {
    switch (kind) {
      case "str":
        return this.pick(["a", "b", "s", this.stringLiteral(), "'a,b'", "'x y  z'"]);
      case "int":
        return this.pick(["n", String(this.int(-5, 20)), "True", "0x1f", "1_000"]);
      case "float":
        return this.pick([
          "f",
          "0.5",
          "2.25",
          "1e3",
          "0.1",
          "-1.5",
          "1e16",
          "0.0001",
          "1e-05",
          "123456.789",
        ]);
      case "bool":
        return this.pick(["t", "True", "False", "b", "a"]);
      case "strs":
        return this.pick(["xs", "[]", "['a']", "['b', 'a']"]);
    }
  }

  override template(): string {
    const out: string[] = [];
    let depth = 0;
    for (let count = this.int(2, 12); count > 0 || depth > 0; count--) {
      const indent = this.pick(["", "", "  "]);
      const choice = count <= 0 ? 9 : this.int(0, 9);
      if (choice < 4) {
        out.push(
          `${this.pick(["", "x: ", "- "])}{{${this.pick(["", "!"])}${this.typed("any", 3)}}}${this.pick(["", " <&>"])}\n`,
        );
      } else if (choice < 6 && depth < 3) {
        const header = this.chance(0.5)
          ? `if ${this.typed("bool", 2)}:`
          : this.pick([
              `for c in ${this.typed("strs", 2)}:`,
              `for c in ${this.typed("str", 1)}:`,
              "for i, c in enumerate(xs):",
              "for c, v in d.items():",
            ]);
        out.push(`${indent}% ${header}\n`, `{{c if defined('c') else ''}}\n`);
        depth++;
      } else if (choice < 7 && depth > 0) {
        out.push(`${indent}% else:\n`, `else {{${this.typed("any", 2)}}}\n`, `${indent}% end\n`);
        depth--;
      } else if (choice < 8) {
        const name = this.pick(["x", "y"]);
        out.push(`${indent}% ${name} = ${this.typed("any", 2)}\n`, `{{${name}}}\n`);
      } else if (choice < 9) {
        out.push(`{{${this.typed("str", 3)}}} text {{!${this.typed("int", 2)}}}\n`);
      } else if (depth > 0) {
        out.push(`${indent}% end\n`);
        depth--;
      }
    }
    return out.join("");
  }
}

/** A random template for `seed`: odd seeds stress bottle's text rules, even ones the evaluator. */
export function randomTemplate(seed: number): string {
  const source =
    seed % 2 === 1 ? new Gen(prng(seed)).template() : new TypedGen(prng(seed)).template();
  // bottle refuses an empty template ("No template specified"); mdserver serves it empty.
  return source === "" ? "x" : source;
}
