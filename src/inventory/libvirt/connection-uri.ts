/** What a libvirt connection URI tells about where libvirt runs. */

/**
 * True when libvirt runs on this machine (no host in the URI: qemu:///system, test:///…),
 * so the lease files under dnsmasq.base_dir are its own. For qemu+ssh://host/… they would be
 * another machine's, and reading ours would pair our addresses with its MACs.
 */
export function isLocalUri(uri: string): boolean {
  const match = /^[a-z0-9+.-]+:\/\/([^/?#]*)/i.exec(uri);
  return match !== null && (match[1] ?? "").replace(/^[^@]*@/, "") === "";
}

/**
 * True for libvirt's test driver. It keeps its state per connection, so another connection
 * (an event listener) never sees a change: there are no events to wait for.
 */
export function isTestDriver(uri: string): boolean {
  return /^test(\+[a-z]+)?:/i.test(uri);
}
