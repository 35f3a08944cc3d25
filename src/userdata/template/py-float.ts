/**
 * Python's float printing: repr() (the shortest digits that read back, which JavaScript finds
 * too, laid out by Python's rules: 1e+16, 1e-05, 1.0) and the exactly rounded (half-even on
 * the binary value, as Python's dtoa does) digits behind the 'f', 'e', 'g' and '%' formats.
 * Pure.
 */

/** repr(x) / str(x) for a float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponent] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exp = Number(exponent);
  const sign = x < 0 ? "-" : "";
  if (exp >= -4 && exp < 16) return sign + placePoint(digits, exp, true);
  return sign + sciText(digits, exp, false);
}

/** Digits d1d2d3… with the first at 10**exp, written without exponent; `dot0`: "1" → "1.0". */
function placePoint(digits: string, exp: number, dot0: boolean): string {
  if (exp < 0) return `0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  if (frac !== "") return `${whole}.${frac}`;
  return dot0 ? `${whole}.0` : whole;
}

/** d.ddd e±XX; `point`: keep the "." even with no digits after it. */
function sciText(digits: string, exp: number, point: boolean): string {
  const rest = digits.slice(1);
  const mantissa = rest !== "" || point ? `${digits[0]}.${rest}` : (digits[0] as string);
  return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** |x| (finite) as an exact fraction num / den. */
function exact(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exp = biased - 1075;
  }
  return exp >= 0
    ? { num: mantissa << BigInt(exp), den: 1n }
    : { num: mantissa, den: 1n << BigInt(-exp) };
}

function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** round(|x| * 10**p), exactly, ties to even, as a decimal string. */
function scaledDigits(x: number, p: number): string {
  const { num, den } = exact(x);
  const scaled =
    p >= 0
      ? roundHalfEven(num * 10n ** BigInt(p), den)
      : roundHalfEven(num, den * 10n ** BigInt(-p));
  return scaled.toString();
}

/** |x| with `p` digits after the point ('f'). */
export function fixedText(x: number, p: number, alt: boolean): string {
  const digits = scaledDigits(x, p).padStart(p + 1, "0");
  if (p === 0) return alt ? `${digits}.` : digits;
  return `${digits.slice(0, -p)}.${digits.slice(-p)}`;
}

/** |x| rounded to `count` significant digits: the digits and the power of ten of the first. */
function significant(x: number, count: number): { digits: string; exp: number } {
  if (x === 0) return { digits: "0".repeat(count), exp: 0 };
  let exp = Math.floor(Math.log10(Math.abs(x)));
  for (let tries = 0; tries < 4; tries++) {
    const digits = scaledDigits(x, count - 1 - exp);
    if (digits.length > count) exp++;
    else if (digits.length < count) exp--;
    else return { digits, exp };
  }
  return { digits: scaledDigits(x, count - 1 - exp).slice(0, count), exp };
}

/** |x| with `p` digits after the point of the mantissa ('e'). */
export function sciFormatText(x: number, p: number, alt: boolean): string {
  const { digits, exp } = significant(x, p + 1);
  return sciText(digits, exp, alt);
}

/**
 * |x| in 'g' style with `p` significant digits; `dot0` is the format with no type and a
 * precision, which keeps one digit after the point and turns to exponents one place sooner.
 */
export function generalText(x: number, p: number, alt: boolean, dot0: boolean): string {
  const count = p === 0 ? 1 : p;
  const { digits, exp } = significant(x, count);
  const useExp = exp < -4 || exp >= (dot0 ? count - 1 : count);
  const trimmed = alt ? digits : digits.replace(/0+$/, "") || "0";
  if (useExp) return sciText(alt ? digits : trimmed, exp, alt);
  if (alt) {
    const text = placePoint(digits, exp, false);
    return text.includes(".") ? text : `${text}.`;
  }
  return placePoint(trimmed, exp, dot0);
}
