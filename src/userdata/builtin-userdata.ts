/**
 * The user-data served when no file matches: the original's built-in #cloud-config, which
 * sets the hostname and installs the "default" ssh key. The name is HTML-escaped as the
 * original's bottle template did ({{hostname}}), and every value is written so that no name
 * or key can break the YAML (`x: y #z` is quoted). Pure.
 */
import { isScalar, parseDocument } from "yaml";
import { htmlEscape } from "./template/html-escape.js";

export function builtinUserdata(values: ReadonlyMap<string, string>): string {
  const hostname = htmlEscape(values.get("hostname") ?? "");
  const lines = [
    "#cloud-config",
    `hostname: ${yamlScalar(hostname)}`,
    `local-hostname: ${yamlScalar(hostname)}`,
    `fqdn: ${yamlScalar(`${hostname}.localdomain`)}`,
    "manage_etc_hosts: true",
  ];
  // The original printed a placeholder when no default key was configured; omit it instead.
  // Nor is the key HTML-escaped as there: that broke keys with options (command="…").
  const key = values.get("public_key_default");
  if (key !== undefined) lines.push("ssh_authorized_keys:", `    - ${yamlScalar(key)}`);
  return `${lines.join("\n")}\n`;
}

/**
 * `value` as a YAML scalar that reads back as exactly that string: as it is (the original's
 * output, for every ordinary name and key) when YAML 1.1 reads it so, else double-quoted.
 */
export function yamlScalar(value: string): string {
  if (value !== "" && !/[\n\r]/.test(value)) {
    const doc = parseDocument(value, { version: "1.1" });
    if (doc.errors.length === 0 && isScalar(doc.contents) && doc.contents.value === value) {
      return value;
    }
  }
  // A JSON string is a YAML double-quoted scalar, once DEL and C1 controls are escaped too.
  return JSON.stringify(value).replace(
    /[\u007f-\u009f]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
