/** libvirt runs here (no host in the URI): only then are base_dir's lease files its own. */
export function isLocalUri(uri: string): boolean {
  const match = /^[a-z0-9+.-]+:\/\/([^/?#]*)/i.exec(uri);
  return match !== null && (match[1] ?? "").replace(/^[^@]*@/, "") === "";
}

/** True for libvirt's test driver (state per connection, so no events). */
export function isTestDriver(uri: string): boolean {
  return /^test(\+[a-z]+)?:/i.test(uri);
}
