/**
 * What a reload (SIGHUP) cannot change in a running server: the keys read only at start-up
 * (logging, where instances come from, DNS). Everything else (keys, template values and
 * defaults, [service], [ec2], the listeners) a reload applies. Pure.
 */
import type { Config } from "./config.js";

/** Keys read once at start-up, by section; "*" for every key of the section. */
const START_UP_ONLY: Readonly<Record<string, readonly string[] | "*">> = {
  mdserver: [
    "loglevel",
    "logfile",
    "debug",
    "instance_source",
    "guest_setup",
    // The limits are shared by every listener from start-up on.
    "max_connections",
    "max_client_connections",
    "client_rate",
    "client_burst",
  ],
  dnsmasq: "*",
  libvirt: "*",
};

/** The `section.key` names whose value differs and that take a restart to apply. */
export function changesNeedingRestart(running: Config, next: Config): string[] {
  const changed: string[] = [];
  for (const [name, keys] of Object.entries(START_UP_ONLY)) {
    const before = running[name as keyof Config] as unknown as Record<string, unknown>;
    const after = next[name as keyof Config] as unknown as Record<string, unknown>;
    const names = keys === "*" ? Object.keys({ ...before, ...after }) : keys;
    for (const key of names) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
        changed.push(`${name}.${key}`);
    }
  }
  if (JSON.stringify(running.instances) !== JSON.stringify(next.instances)) {
    changed.push("[instance:NAME] sections");
  }
  return changed;
}
