/**
 * Which user-data is a template. Only text is: bytes that are valid UTF-8, hold no NUL byte and
 * do not start with gzip's magic number go through the template engine; anything else (a gzip
 * file, which cloud-init unpacks, or any other binary) is served byte for byte, untouched.
 * Pure.
 */

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Throws on bytes that are not UTF-8; keeps a byte order mark as the character it is. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The template text in `bytes`, or undefined when they are to be served as they are. */
export function templateText(bytes: Uint8Array): string | undefined {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) return undefined;
  if (bytes.includes(0)) return undefined;
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
