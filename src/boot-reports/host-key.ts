/**
 * An ssh host key as a guest posts it (the text of /etc/ssh/ssh_host_*_key.pub), checked
 * strictly before it is kept: it ends up in known_hosts lines, where a stray space, newline or
 * marker (@cert-authority) from a guest would change what the host trusts. Pure.
 */
import type { HostKey } from "./boot-report.js";

/** The key types OpenSSH makes host keys of today. */
const TYPES = new Set([
  "ssh-rsa",
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
]);

/** Longest base64 key kept: an RSA key of 16384 bits is about 2,800 characters. */
export const MAX_KEY_LENGTH = 4096;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses "TYPE BASE64 [comment]" into a HostKey (the comment, the guest's own text, is
 * dropped), or undefined when it is not a well-formed key of a known type whose blob names
 * that same type.
 */
export function parseHostKey(text: string): HostKey | undefined {
  const [type, key, ...rest] = text.trim().split(/[ \t]+/);
  if (type === undefined || key === undefined || !TYPES.has(type)) return undefined;
  if (rest.some((word) => /[\r\n]/.test(word))) return undefined;
  if (key.length > MAX_KEY_LENGTH || key.length % 4 !== 0 || !BASE64.test(key)) return undefined;
  // The blob starts with its own type as an ssh string (uint32 length, then the name).
  const blob = Buffer.from(key, "base64");
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + length).toString("latin1") !== type) return undefined;
  return { type, key };
}
