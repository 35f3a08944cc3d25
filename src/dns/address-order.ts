/** Addresses in numeric order (IPv4 before IPv6), as hosts lines are sorted. Pure. */
import { isIP } from "node:net";

const hex = (n: number, digits: number) => n.toString(16).padStart(digits, "0");

/**
 * A key that sorts as the address does, numerically: "4" and 8 hex digits for IPv4, "6" and
 * 32 for IPv6 ("::" expanded).
 */
function addressKey(address: string): string {
  if (isIP(address) === 4)
    return `4${address
      .split(".")
      .map((part) => hex(Number(part), 2))
      .join("")}`;
  const [head = "", tail] = address.split("::");
  const groups = (text: string) => (text === "" ? [] : text.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [
    ...left,
    ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill("0"),
    ...right,
  ];
  return `6${all.map((group) => hex(parseInt(group, 16) || 0, 4)).join("")}`;
}

/** `items` sorted by their address (each address read once: sorting compares many times). */
export function sortByAddress<T>(items: readonly T[], address: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: addressKey(address(item)) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ item }) => item);
}
