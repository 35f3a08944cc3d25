/**
 * `mdserver list`: the instances the server would serve, one line per address, with the
 * user-data file each would get, and its DNS names when dnsmasq.manage_addnhosts is on.
 * Starts the configured sources once (no HTTP, no events, nothing written), prints, stops.
 * Exits 1 when a source could not give its complete view, or when DNS could not be
 * published as configured (it says why).
 */
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load-config.js";
import { createDnsBackend } from "../dns/create-dns.js";
import { dnsNamesByAddress } from "../dns/dns-records.js";
import { createSources } from "../inventory/create-sources.js";
import { Inventory } from "../inventory/inventory.js";
import { checkSetup, describeFindings } from "../setup/setup-check.js";
import { UserdataFileError } from "../userdata/userdata-file-error.js";
import { UserdataService, type UserdataOrigin } from "../userdata/userdata-service.js";
import { TemplateError } from "../userdata/template-error.js";
import { describeOrigin } from "./describe-origin.js";
import { EXIT, type Command } from "./command.js";
import { formatTable } from "./format-table.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";
import { warningsToStderr } from "./stderr-logger.js";

const HEADER = ["NAME", "UUID", "MAC", "ADDRESS", "NETWORK", "USERDATA"] as const;

/** `mdserver list [--config FILE]`. */
export const listCommand: Command = {
  name: "list",
  summary:
    "Prints the instances the server would serve: name, UUID, MAC, address, network and user-data file.",
  async run(args) {
    let config: Config;
    try {
      const loaded = await loadConfig(args.config);
      printWarnings(loaded.warnings);
      config = loaded.config;
    } catch (error) {
      return reportConfigError(error);
    }
    const log = warningsToStderr();
    const sources = createSources(config, log, { watch: false });
    const inventory = new Inventory(sources, 0, (message) => log.warn(message));
    const userdata = new UserdataService(config, log);
    const dns = createDnsBackend(config);
    let rows: string[][];
    try {
      await inventory.start();
      rows = await listRows(inventory, userdata);
    } finally {
      await inventory.stop();
      userdata.close();
    }
    let header: string[] = [...HEADER];
    const dnsProblems = (await dns?.check()) ?? [];
    if (dns) {
      const names = dnsNamesByAddress(inventory.instances(), config.dnsmasq);
      header = [...header, "DNS"];
      rows = rows.map((row) => [...row, names.get(row[3] ?? "")?.join(",") ?? "-"]);
    }
    for (const problem of dnsProblems) log.warn(`DNS: ${problem}`);
    process.stdout.write(formatTable([header, ...rows]));
    // Guests that will never ask: not set up for guest_setup, or no route to the address.
    printWarnings(describeFindings(await checkSetup(config), config.mdserver.guest_setup));
    const ok = sources.every((s) => s.health().ok) && dnsProblems.length === 0;
    return ok ? EXIT.ok : EXIT.failure;
  },
};

/** One row per address an instance is served at, instances by name, addresses in order. */
async function listRows(inventory: Inventory, userdata: UserdataService): Promise<string[][]> {
  const rows: string[][] = [];
  for (const instance of inventory.instances()) {
    for (const iface of instance.interfaces) {
      for (const address of iface.addresses) {
        const identity = inventory.lookup(address);
        // An address another source also claims is served to no one: not listed.
        if (identity?.instance !== instance) continue;
        const origin = await userdata.origin(identity).catch((e: unknown) => {
          if (e instanceof TemplateError || e instanceof UserdataFileError) return e;
          throw e;
        });
        rows.push([
          instance.name,
          instance.uuid,
          iface.mac ?? "-",
          address,
          iface.network ?? "-",
          describe(origin),
        ]);
      }
    }
  }
  return rows;
}

function describe(origin: UserdataOrigin | TemplateError | UserdataFileError): string {
  if (origin instanceof Error) return `(error: ${origin.message})`;
  return describeOrigin(origin, "user-data");
}
