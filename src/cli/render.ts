/**
 * `mdserver render NAME|IP|MAC [--part PART] [--config FILE]`: prints what that guest would
 * receive, part by part, and which file each part came from, through the same code the
 * server answers with. Starts the configured sources once (no HTTP, nothing written).
 * Exits 1 when a part fails (the guest would get a 500): the file, line and problem are printed.
 */
import { parseArgs } from "node:util";
import type { Config } from "../config/config.js";
import { normaliseMac } from "../config/values.js";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../config/load-config.js";
import { createGuestDocuments, type GuestDocuments } from "../frontends/guest-documents.js";
import { createSources } from "../inventory/create-sources.js";
import { domainMetadataOf } from "../inventory/domain-metadata.js";
import { identitiesOf, type Identity } from "../inventory/instance.js";
import { Inventory } from "../inventory/inventory.js";
import { canonicalAddress } from "../util/address.js";
import { PARTS, type Part } from "../userdata/guest-part.js";
import { TemplateError } from "../userdata/template-error.js";
import { UserdataFileError } from "../userdata/userdata-file-error.js";
import { type RenderedPart, UserdataService } from "../userdata/userdata-service.js";
import { VERSION } from "../version.js";
import { EXIT, UsageError, type ArgvCommand } from "./command.js";
import { describeOrigin } from "./describe-origin.js";
import { printWarnings, reportConfigError } from "./report-config-error.js";
import { warningsToStderr } from "./stderr-logger.js";

const HELP = `Usage: mdserver render NAME|IP|MAC [--part PART] [--config FILE]
Prints what that guest would receive and which file each part came from.

Options:
  -p, --part PART    only this part, exactly as served: ${PARTS.join(", ")}
                     (where it came from goes to stderr)
  -c, --config FILE  configuration file (default ${DEFAULT_CONFIG_FILE})
  -h, --help         show this help
  -V, --version      show the version
`;

/** `mdserver render`. */
export const renderCommand: ArgvCommand = {
  name: "render",
  summary:
    "Prints what a guest (NAME, IP or MAC) would receive, part by part, and from which file.",
  async runArgv(argv) {
    const args = parseRenderArgs(argv);
    if (args === undefined) return EXIT.ok;
    let config: Config;
    try {
      const loaded = await loadConfig(args.config);
      printWarnings(loaded.warnings);
      config = loaded.config;
    } catch (error) {
      return reportConfigError(error);
    }
    const log = warningsToStderr();
    const inventory = new Inventory(createSources(config, log, { watch: false }), 0, (m) =>
      log.warn(m),
    );
    const userdata = new UserdataService(config, log);
    try {
      await inventory.start();
      const identity = findGuest(inventory, args.guest);
      if (identity === undefined) {
        process.stderr.write(`mdserver render: no guest is known as "${args.guest}"\n`);
        return EXIT.failure;
      }
      for (const problem of domainMetadataOf(identity.instance).problems) {
        process.stderr.write(`warning: ${identity.instance.name}: <metadata>: ${problem}\n`);
      }
      const documents = createGuestDocuments(config, userdata);
      return await print(documents, userdata, identity, args.part);
    } finally {
      await inventory.stop();
      userdata.close();
    }
  },
};

interface RenderArgs {
  readonly guest: string;
  readonly part: Part | undefined;
  readonly config: string;
}

function parseRenderArgs(argv: readonly string[]): RenderArgs | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        part: { type: "string", short: "p" },
        config: { type: "string", short: "c" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(HELP);
  if (values.version) return void process.stdout.write(`mdserver ${VERSION}\n`);
  const [guest, ...more] = positionals;
  if (guest === undefined || more.length > 0) {
    throw new UsageError("mdserver render: give one guest (NAME, IP or MAC)");
  }
  const part = values.part;
  if (part !== undefined && !(PARTS as readonly string[]).includes(part)) {
    throw new UsageError(`mdserver render: --part must be one of ${PARTS.join(", ")}`);
  }
  return { guest, part: part as Part | undefined, config: values.config ?? DEFAULT_CONFIG_FILE };
}

/**
 * The identity `what` names: the guest at that address; else the instance with that MAC
 * (as from that interface's first address) or that name (as from its first address).
 */
function findGuest(inventory: Inventory, what: string): Identity | undefined {
  const address = canonicalAddress(what);
  if (address !== undefined) return inventory.lookup(address);
  const mac = normaliseMac(what);
  for (const instance of inventory.instances()) {
    const identities = identitiesOf(instance);
    const asked = mac === undefined ? instance.name === what : undefined;
    const byMac = mac !== undefined && instance.interfaces.some((i) => i.mac === mac);
    if (!asked && !byMac) continue;
    const served = identities.filter((i) => inventory.lookup(i.address)?.instance === instance);
    const pick = served.find((i) => mac === undefined || i.mac === mac) ?? served[0];
    // A guest with no address is not served, but what it would get can still be shown.
    return pick ?? { instance, address: "", mac: mac ?? instance.interfaces[0]?.mac };
  }
  return undefined;
}

/** Prints the parts; 1 when any of them fails as it would for the guest. */
async function print(
  documents: GuestDocuments,
  userdata: UserdataService,
  identity: Identity,
  only: Part | undefined,
): Promise<number> {
  const renderers: Record<Part, () => Promise<RenderedPart | undefined>> = {
    "user-data": () => documents.userData(identity),
    "vendor-data": () => documents.vendorData(identity),
    "network-config": () => documents.networkConfig(identity),
    // The part as written; parsed too, so an error shows as it would to the guest.
    "meta-data": async () => {
      const rendered = await userdata.renderText(identity, "meta-data");
      await documents.meta(identity);
      return rendered;
    },
  };
  let code: number = EXIT.ok;
  for (const part of only === undefined ? PARTS : [only]) {
    try {
      const rendered = await renderers[part]();
      const from = rendered === undefined ? "(none)" : describeOrigin(rendered.origin, part);
      if (only !== undefined) {
        process.stderr.write(`${part}: ${from}\n`);
        process.stdout.write(rendered?.body ?? "");
      } else {
        // Bytes (gzip user-data) are not for a terminal: --part prints them exactly.
        const body = rendered?.body;
        const shown =
          typeof body === "string" || body === undefined
            ? (body ?? "")
            : `(${body.length} bytes, not text: served as they are; see --part ${part})`;
        process.stdout.write(`==> ${part}: ${from}\n${shown}`);
        if (body !== undefined && !shown.endsWith("\n")) process.stdout.write("\n");
      }
    } catch (error) {
      if (!(error instanceof TemplateError || error instanceof UserdataFileError)) throw error;
      process.stderr.write(`mdserver render: ${part}: ${error.message}\n`);
      if (only === undefined) process.stdout.write(`==> ${part}: error (500 to the guest)\n`);
      code = EXIT.failure;
    }
  }
  return code;
}
