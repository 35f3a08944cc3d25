/**
 * Rendered user-data that claims `#cloud-config` must be what cloud-init can read: one YAML
 * document whose top level is a mapping (or empty). cloud-init would otherwise drop it with a
 * warning on the guest, so it is an error here, for that guest only. Parsed as YAML 1.1, which
 * cloud-init's PyYAML reads; duplicate keys are allowed, as there (the last one wins). Pure.
 */
import { isMap, parseDocument } from "yaml";
import { TemplateError } from "./template-error.js";

/** The first line of user-data that cloud-init reads as cloud-config. */
const CLOUD_CONFIG = "#cloud-config";

/** Throws TemplateError naming `file` and the place in the rendered text when it is not usable. */
export function checkCloudConfig(text: string, file: string): void {
  if (text.startsWith(CLOUD_CONFIG)) checkYamlMapping(text, file, "#cloud-config");
}

/**
 * Throws TemplateError when `text` (a rendered `what`: #cloud-config, network-config) is not
 * one YAML document whose top level is a mapping (or empty).
 */
export function checkYamlMapping(text: string, file: string, what: string): void {
  const doc = parseDocument(text, { version: "1.1", uniqueKeys: false });
  const error = doc.errors[0];
  if (error !== undefined) {
    const place = error.linePos?.[0] ?? { line: 1, col: 1 };
    // yaml's message ends with the place and a picture of the line; the place is said here.
    const reason = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "");
    throw new TemplateError(
      file,
      place.line,
      place.col,
      `the rendered ${what} is not valid YAML at line ${place.line}, column ${place.col} of the output: ${reason}`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new TemplateError(
      file,
      1,
      1,
      `the rendered ${what} is not a YAML mapping (cloud-init would ignore it)`,
    );
  }
}
