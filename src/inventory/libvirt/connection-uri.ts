/**
 * True when libvirt runs on this machine (no host in the URI), so the lease files under
 * dnsmasq.base_dir are its own: a remote host's MACs must not be paired with our addresses.
 */
export function isLocalUri(uri: string): boolean {
  const match = /^[a-z0-9+.-]+:\/\/([^/?#]*)/i.exec(uri);
  return match !== null && (match[1] ?? "").replace(/^[^@]*@/, "") === "";
}

/** True for libvirt's test driver (state per connection, so no events). */
export function isTestDriver(uri: string): boolean {
  return /^test(\+[a-z]+)?:/i.test(uri);
}
