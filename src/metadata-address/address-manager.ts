/**
 * `[mdserver] manage_address = yes`: the metadata address(es) on the bridge of every served
 * libvirt network, and back again when libvirt re-creates the bridge (a network started again,
 * libvirtd restarted with it): at start-up, on libvirt's network lifecycle events, and every
 * half minute in case an event was missed or someone removed it. Local connections only (a
 * remote host's bridges are not ours to change). A failure is logged once and retried.
 */
import type { Config } from "../config/config.js";
import { isLocalUri } from "../inventory/libvirt/connection-uri.js";
import { startEventFeed } from "../inventory/libvirt/event-stream.js";
import type { Logger } from "../log/logger.js";
import { activeBridge, ensureAddress, type VirshOptions } from "./bridge-address.js";
import { managedAddresses, type ManagedAddress } from "./managed-addresses.js";

/** How often every network is looked at without an event. */
export const CHECK_EVERY_MS = 30_000;

/** Stops the manager. */
export type StopManaging = () => Promise<void>;

/** Starts managing; resolves once every network has been looked at once. */
export async function manageAddresses(config: Config, log: Logger): Promise<StopManaging> {
  const addresses = managedAddresses(config.mdserver.listen_address);
  const uris = [...new Set(config.libvirt.uri)].filter((uri) => {
    if (isLocalUri(uri)) return true;
    log.warn({ uri }, "manage_address: a remote host's bridges are left alone");
    return false;
  });
  if (addresses.length === 0 || uris.length === 0) return async () => {};
  const failing = new Set<string>();
  let stopped = false;

  // One pass over one network at a time per connection: events in a burst do not pile up.
  const queues = new Map<string, Promise<void>>();
  const check = (virsh: VirshOptions, network: string): Promise<void> => {
    const key = `${virsh.uri} ${network}`;
    const next = (queues.get(key) ?? Promise.resolve()).then(async () => {
      if (stopped) return;
      try {
        await apply(virsh, network, addresses, log);
        if (failing.delete(key))
          log.info({ uri: virsh.uri, network }, "metadata address managed again");
      } catch (error) {
        if (!failing.has(key)) {
          log.error(
            { uri: virsh.uri, network, err: String(error) },
            "cannot put the metadata address on the network's bridge",
          );
        }
        failing.add(key);
      }
    });
    queues.set(key, next);
    return next;
  };

  const connections = uris.map((uri) => ({
    virsh: config.libvirt.virsh,
    uri,
    timeoutMs: config.libvirt.timeout * 1000,
  }));
  const checkAll = () =>
    Promise.all(connections.flatMap((c) => config.dnsmasq.net_name.map((n) => check(c, n))));
  await checkAll();
  const timer = setInterval(() => void checkAll(), CHECK_EVERY_MS);
  timer.unref();
  const feeds = connections.map((connection) =>
    startEventFeed({
      virsh: connection.virsh,
      uri: connection.uri,
      backoff: { initialMs: 500, maxMs: 5000 },
      kinds: ["network"],
      onEvent: (event) => {
        log.debug({ event }, "manage_address: network event");
        if (config.dnsmasq.net_name.includes(event.name) && event.detail.startsWith("Started")) {
          void check(connection, event.name);
        }
      },
      // Events may have been missed while the stream was down.
      onUp: (_kind, resumed) => {
        log.debug({ uri: connection.uri, resumed }, "manage_address: network events up");
        if (resumed) for (const n of config.dnsmasq.net_name) void check(connection, n);
      },
      onDown: (_kind, reason) =>
        log.debug({ uri: connection.uri, reason }, "manage_address: network events down"),
    }),
  );
  return async () => {
    stopped = true;
    clearInterval(timer);
    await Promise.all(feeds.map((stop) => stop()));
    await Promise.all(queues.values());
  };
}

/** Puts `addresses` on the bridge of `network` if it runs. */
async function apply(
  virsh: VirshOptions,
  network: string,
  addresses: readonly ManagedAddress[],
  log: Logger,
): Promise<void> {
  const bridge = await activeBridge(virsh, network);
  if (bridge === undefined) return;
  for (const address of addresses) {
    if (await ensureAddress(bridge, address)) {
      log.info({ network, bridge, address: address.cidr }, "metadata address put on the bridge");
    }
  }
}
