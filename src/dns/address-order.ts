/** Addresses in numeric order (IPv4 before IPv6), as hosts lines are sorted. Pure. */
import { isIP } from "node:net";

/** The address as a number (IPv4 and IPv6 alike), for ordering. */
function numeric(address: string): bigint {
  if (isIP(address) === 4) {
    return address.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  }
  // Expand "::" to the missing groups of zeros, then read eight 16-bit groups.
  const [head = "", tail] = address.split("::");
  const groups = (text: string) => (text === "" ? [] : text.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return all.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16) || 0), 0n);
}

/** Compares two canonical addresses: IPv4 first, then by value. */
export function compareAddresses(a: string, b: string): number {
  const family = isIP(a) - isIP(b);
  if (family !== 0) return family;
  const [x, y] = [numeric(a), numeric(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}
