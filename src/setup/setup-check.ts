/**
 * What `mdserver list` and the start-up log warn about: served networks whose guests have no
 * route to 169.254.169.254, and domains on them not set up for the configured guest_setup
 * mode (their stock cloud-init would never ask). Read-only, one virsh session per URI: the
 * server's own kind (virsh-session.ts), so that the definitions are read as batches without a
 * pair of markers each (virsh reads its input a byte per system call: at 10,000 domains the
 * markers alone cost it seconds of CPU, just after start-up, beside the serving).
 */
import type { Config } from "../config/config.js";
import { isSetUp } from "./domain-setup.js";
import { domainNetworks } from "./domain-networks.js";
import { networkSetup } from "./network-setup.js";
import { SetupError } from "./setup-error.js";
import { VirshSession } from "../inventory/libvirt/virsh-session.js";
import { quoted } from "./virsh-shell.js";

/** Definitions read per batch, as the server's own loads do. */
const BATCH = 256;

/** The findings for one libvirt connection. */
export interface SetupFindings {
  readonly uri: string;
  /** Served networks that need `mdserver network-setup`. */
  readonly unroutedNetworks: readonly string[];
  /** Domains on served networks whose definition is not set up for the mode, by name. */
  readonly notSetUp: readonly string[];
  /** Why the check could not be made, when it could not. */
  readonly problem?: string | undefined;
}

/** Checks every configured libvirt URI (none when libvirt is not an instance source). */
export async function checkSetup(config: Config, signal?: AbortSignal): Promise<SetupFindings[]> {
  if (!config.mdserver.instance_source.includes("libvirt")) return [];
  const findings: SetupFindings[] = [];
  for (const uri of new Set(config.libvirt.uri)) {
    if (signal?.aborted) break;
    findings.push(await checkUri(config, uri, signal));
  }
  return findings;
}

async function checkUri(config: Config, uri: string, signal?: AbortSignal): Promise<SetupFindings> {
  const shell = new VirshSession({
    virsh: config.libvirt.virsh,
    uri,
    timeoutMs: config.libvirt.timeout * 1000,
  });
  // Stopping ends virsh, which fails whatever command is waiting.
  const stop = () => void shell.close();
  signal?.addEventListener("abort", stop);
  const networks = config.dnsmasq.net_name;
  const unroutedNetworks: string[] = [];
  const notSetUp: string[] = [];
  try {
    const existing = new Set(await names(shell, "net-list --all --name"));
    for (const network of networks.filter((n) => existing.has(n))) {
      if (await lacksRoute(shell, network)) unroutedNetworks.push(network);
    }
    const mode = config.mdserver.guest_setup;
    if (mode !== "none") {
      const all = await names(shell, "list --all --name");
      // Asked in batches, all sent at once (the time-out applies to each batch); a domain
      // gone since the list fails alone and is left out.
      const commands = all.map((name) => `dumpxml --inactive ${quoted(name)}`);
      const batches = [];
      for (let i = 0; i < commands.length; i += BATCH) {
        batches.push(shell.runAll(commands.slice(i, i + BATCH)));
      }
      const replies = (await Promise.all(batches)).flat();
      all.forEach((name, i) => {
        const { output: xml, errors } = replies[i]!;
        if (errors.length > 0) return;
        const served = domainNetworks(xml).some((n) => networks.includes(n));
        if (served && !isSetUp(xml, mode)) notSetUp.push(name);
      });
    }
    return { uri, unroutedNetworks, notSetUp: notSetUp.sort() };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { uri, unroutedNetworks, notSetUp, problem };
  } finally {
    signal?.removeEventListener("abort", stop);
    await shell.close();
  }
}

/** A command's output; its errors, if any, thrown. */
async function output(shell: VirshSession, command: string): Promise<string> {
  const { output, errors } = await shell.run(command);
  if (errors.length > 0) throw new Error(`"${command}": ${errors.join("; ")}`);
  return output;
}

async function names(shell: VirshSession, command: string): Promise<string[]> {
  return (await output(shell, command))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** True when the network as it runs now gives guests no way to 169.254.169.254. */
async function lacksRoute(shell: VirshSession, network: string): Promise<boolean> {
  try {
    const xml = await output(shell, `net-dumpxml ${quoted(network)}`);
    return networkSetup(xml).kind === "needs-route";
  } catch (error) {
    // A bridged network's route is its own DHCP server's business: nothing to say.
    if (error instanceof SetupError) return false;
    throw error;
  }
}

/** The findings as warning sentences, one per problem (domains: one each, for `list`). */
export function describeFindings(findings: readonly SetupFindings[], mode: string): string[] {
  const lines: string[] = [];
  const where = (uri: string) => (findings.length > 1 ? ` (${uri})` : "");
  for (const found of findings) {
    if (found.problem !== undefined) {
      lines.push(`cannot check guest set-up at ${found.uri}: ${found.problem}`);
    }
    for (const network of found.unroutedNetworks) {
      lines.push(
        `network ${network}${where(found.uri)} is isolated and its guests have no route to 169.254.169.254: run "mdserver network-setup ${network}"`,
      );
    }
    for (const name of found.notSetUp) {
      lines.push(
        `domain ${name}${where(found.uri)} is not set up for ${mode} (guest_setup), so a stock image will not ask: run "mdserver guest-setup ${name}"`,
      );
    }
  }
  return lines;
}
