/**
 * Schemas for the kinds of value an INI file holds. Every INI value arrives as a string;
 * these turn it into the typed value or into a message that says what was expected.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { canonicalAddress } from "../util/address.js";

const TRUE = new Set(["yes", "y", "true", "t", "on", "1"]);
const FALSE = new Set(["no", "n", "false", "f", "off", "0"]);

/** yes/no/true/false/on/off/1/0, as Python's strtobool read them. */
export const bool = z.string().transform((text, ctx) => {
  const word = text.trim().toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  ctx.addIssue({
    code: "custom",
    message: `"${text}" is not a boolean (use yes/no, true/false, on/off or 1/0)`,
  });
  return z.NEVER;
});

/** A whole number within bounds, with a unit for the message. */
export function integer(min: number, max: number, unit = "") {
  return z.string().transform((text, ctx) => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
      ctx.addIssue({
        code: "custom",
        message: `"${text}" is not a whole number from ${min} to ${max}${unit ? ` ${unit}` : ""}`,
      });
      return z.NEVER;
    }
    return value;
  });
}

/** A TCP port. */
export const port = integer(1, 65535);

/** Splits a comma-separated list, dropping blanks. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** A comma-separated list whose items each pass `check` (which returns a problem or nothing). */
export function list(check: (item: string) => string | undefined = () => undefined, min = 1) {
  return z.string().transform((text, ctx) => {
    const items = splitList(text);
    if (items.length < min) {
      ctx.addIssue({ code: "custom", message: `needs at least ${min} comma-separated value` });
      return z.NEVER;
    }
    for (const item of items) {
      const problem = check(item);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      }
    }
    return items;
  });
}

/** One of a fixed set of words. */
export function oneOf<const T extends string>(words: readonly T[]) {
  return z.string().transform((text, ctx) => {
    const word = text.trim().toLowerCase();
    const found = words.find((w) => w === word);
    if (found === undefined) {
      ctx.addIssue({ code: "custom", message: `"${text}" is not one of ${words.join(", ")}` });
      return z.NEVER;
    }
    return found;
  });
}

/** A list of IPv4/IPv6 addresses to listen on, as written (an IPv6 zone such as %virbr0 kept). */
export const addressList = list((item) =>
  isIP(item.replace(/%[\w.-]+$/, "")) === 0
    ? `"${item}" is not an IPv4 or IPv6 address`
    : undefined,
);

/**
 * A list of client addresses, each in its canonical spelling (so "::ffff:10.0.0.1" and
 * "10.0.0.1", or two spellings of one IPv6 address, are recognised as the same address).
 */
export const canonicalAddressList = list((item) =>
  canonicalAddress(item) === undefined ? `"${item}" is not an IPv4 or IPv6 address` : undefined,
).transform((items) => items.map((item) => canonicalAddress(item) ?? item));

/** A non-empty string. */
export const text = z.string().trim().min(1, "must not be empty");

/**
 * The original wrote "no" to mean "not set" for dnsmasq.prefix and dnsmasq.domain;
 * that reads as null here.
 */
export const optionalName = z.string().transform((value) => {
  const word = value.trim();
  return word === "" || FALSE.has(word.toLowerCase()) ? null : word;
});

const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

/** Normalises a MAC address to lower case with colons, or returns undefined. */
export function normaliseMac(text: string): string | undefined {
  const mac = text.trim().toLowerCase().replace(/-/g, ":");
  return MAC.test(mac) ? mac : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a UUID in its usual dashed form (any case). */
export function isUuid(text: string): boolean {
  return UUID.test(text.trim().toLowerCase());
}

/** An http:// or https:// URL. */
export const httpUrl = z.string().transform((value, ctx) => {
  const trimmed = value.trim();
  if (URL.canParse(trimmed) && /^https?:$/.test(new URL(trimmed).protocol)) return trimmed;
  ctx.addIssue({ code: "custom", message: `"${value}" is not an http:// or https:// URL` });
  return z.NEVER;
});
