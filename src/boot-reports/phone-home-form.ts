/**
 * The body cloud-init's phone_home module posts (application/x-www-form-urlencoded:
 * pub_key_rsa, pub_key_ecdsa, pub_key_ed25519, instance_id, hostname…, "N/A" for what it
 * could not read), as the parts a boot report keeps. Pure.
 */
import type { HostKey } from "./boot-report.js";
import { parseHostKey } from "./host-key.js";

/** What a guest said about itself. */
export interface PhoneHomeForm {
  readonly instanceId: string;
  readonly hostname: string;
  readonly hostKeys: readonly HostKey[];
}

/** Longest instance-id or hostname kept (a host name is at most 253 characters). */
export const MAX_FIELD_LENGTH = 255;

/** The form fields that carry host keys (in the order reports keep them) and their key types. */
const KEY_FIELDS: ReadonlyArray<[string, RegExp]> = [
  ["pub_key_ed25519", /^ssh-ed25519$/],
  ["pub_key_ecdsa", /^ecdsa-sha2-/],
  ["pub_key_rsa", /^ssh-rsa$/],
];

/** phone_home's word for "could not read it". */
const MISSING = "N/A";

/** A short single-line field, or "" when missing, too long or not printable text. */
function field(form: URLSearchParams, name: string): string {
  const value = form.get(name)?.trim() ?? "";
  if (value === MISSING || value.length > MAX_FIELD_LENGTH) return "";
  // Shown on the status page and in the terminal: no control characters.
  return /^[\x20-\x7e]*$/.test(value) ? value : "";
}

/** Parses a phone_home body; fields that are missing or malformed are left out, not fatal. */
export function parsePhoneHomeForm(body: string): PhoneHomeForm {
  const form = new URLSearchParams(body);
  const hostKeys: HostKey[] = [];
  // One key per field, of the field's type: a guest cannot fill the report with copies.
  for (const [name, type] of KEY_FIELDS) {
    const key = parseHostKey(form.get(name) ?? "");
    if (key !== undefined && type.test(key.type)) hostKeys.push(key);
  }
  return {
    instanceId: field(form, "instance_id"),
    hostname: field(form, "hostname"),
    hostKeys,
  };
}
