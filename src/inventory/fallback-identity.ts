/**
 * The original's answer for a client it could not identify: an instance named
 * <hostname_prefix>-<last part of the address>. Off by default (mdserver.fallback_identity),
 * because it hands out an identity to anything that can reach the server.
 */
import type { Identity } from "./instance.js";
import { nameBasedUuid } from "./name-based-uuid.js";

const CACHE_LIMIT = 65_536;

export function fallbackIdentities(prefix: string): (client: string) => Identity {
  const made = new Map<string, Identity>();
  return (client) => {
    let identity = made.get(client);
    if (identity === undefined) {
      if (made.size >= CACHE_LIMIT) made.clear();
      const last =
        client
          .split(/[.:]/)
          .filter((p) => p !== "")
          .pop() ?? "0";
      const name = `${prefix}-${last}`;
      const instance = {
        name,
        uuid: nameBasedUuid(`fallback:${client}`),
        interfaces: [{ addresses: [client] }],
        source: "fallback",
      };
      identity = { instance, address: client };
      made.set(client, identity);
    }
    return identity;
  };
}
