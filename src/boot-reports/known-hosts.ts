/**
 * known_hosts lines from boot reports: each guest's host keys under its name, its DNS names
 * (the [dnsmasq] prefix, domain and entry_order, as published) and the address it reported
 * from, so that `ssh web1`, `ssh web1.example.com` and `ssh 192.168.122.10` are all verified.
 * Pure.
 */
import { namesFor, toHostName, type Naming } from "../dns/host-names.js";
import type { BootReport } from "./boot-report.js";

/** The names and address a guest's keys are listed under, its name first. */
export function hostPatterns(report: BootReport, naming: Naming): string[] {
  const base = toHostName(report.name);
  const names = base === undefined ? [] : [base, ...namesFor(base, naming)];
  return [...new Set([...names, report.address])];
}

/** True when `wanted` (a name, DNS name or address given on the command line) means this guest. */
export function reportMatches(report: BootReport, naming: Naming, wanted: string): boolean {
  return report.name === wanted || hostPatterns(report, naming).includes(wanted.toLowerCase());
}

/** "patterns type key" lines of `reports`, in their order. */
export function knownHostsLines(reports: readonly BootReport[], naming: Naming): string[] {
  return reports.flatMap((report) => {
    const patterns = hostPatterns(report, naming).join(",");
    return report.hostKeys.map((key) => `${patterns} ${key.type} ${key.key}`);
  });
}
