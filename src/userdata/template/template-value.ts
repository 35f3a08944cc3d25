/** The values a template is rendered with, and how they become Python values. Pure. */
import { PyDict, PyList, type PyValue } from "./py-values.js";

/** A value given to a template: JSON-like data. */
export type TemplateValue =
  | string
  | number
  | boolean
  | null
  | readonly TemplateValue[]
  | { readonly [key: string]: TemplateValue };

/**
 * The Python value for `v`: a whole number becomes an int, any other number a float, an
 * array a list and an object a dict (in the object's key order, which for keys that look like
 * array indexes is JavaScript's, not the order they were written in).
 */
export function toPyValue(v: TemplateValue): PyValue {
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
  if (Array.isArray(v)) return new PyList((v as readonly TemplateValue[]).map(toPyValue));
  return PyDict.from(
    Object.entries(v as { readonly [key: string]: TemplateValue }).map(
      ([k, x]) => [k, toPyValue(x)] as const,
    ),
  );
}
