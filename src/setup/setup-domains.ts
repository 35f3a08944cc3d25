/**
 * `mdserver guest-setup` over one virsh session: read a domain's persistent definition, set
 * it up (domain-setup.ts), define it, read it back from the same session and check that
 * libvirt kept the change. Nothing is written with --dry-run.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isSetUp, setUpDomainXml } from "./domain-setup.js";
import { domainNetworks } from "./domain-networks.js";
import { SetupError } from "./setup-error.js";
import type { SetupMode } from "./setup-mode.js";
import { quoted, type VirshShell } from "./virsh-shell.js";
import { xmlDiff } from "./xml-diff.js";

/** What happened to one domain, in a line (and a diff for a dry run). */
export interface SetupOutcome {
  readonly name: string;
  /** False when the domain could not be set up. */
  readonly ok: boolean;
  readonly changed: boolean;
  readonly message: string;
  /** With --dry-run: the change as a unified diff. */
  readonly diff?: string | undefined;
}

/** How to run. */
export interface SetupOptions {
  readonly mode: SetupMode;
  readonly dryRun: boolean;
  /** A private directory for the definition files virsh reads. */
  readonly scratch: string;
}

/**
 * The persistent definition, secrets included (--security-info): defining back a dump without
 * them would drop a console password.
 */
export function readDefinition(shell: VirshShell, name: string): Promise<string> {
  return shell.run(`dumpxml --inactive --security-info ${quoted(name)}`);
}

/** Sets up one domain; failures are outcomes, not exceptions. */
export async function setUpDomain(
  shell: VirshShell,
  name: string,
  options: SetupOptions,
): Promise<SetupOutcome> {
  const { mode } = options;
  try {
    const info = await shell.run(`dominfo ${quoted(name)}`);
    if (/^Persistent:\s+no$/m.test(info)) {
      throw new SetupError("a transient domain has no definition to change");
    }
    const running = !/^State:\s+shut off$/m.test(info);
    const before = await readDefinition(shell, name);
    const after = setUpDomainXml(before, mode);
    if (after === before) {
      return { name, ok: true, changed: false, message: `already set up for ${mode}` };
    }
    if (options.dryRun) {
      const diff = xmlDiff(name, before, after);
      return { name, ok: true, changed: true, message: `would be set up for ${mode}`, diff };
    }
    const file = join(options.scratch, "domain.xml");
    await writeFile(file, after, { mode: 0o600 });
    await shell.run(`define ${quoted(file)}`);
    const kept = await readDefinition(shell, name);
    if (!isSetUp(kept, mode)) {
      throw new SetupError("libvirt accepted the definition but did not keep the change");
    }
    const when = running
      ? "; it runs: takes effect when it is next started (shut it down and start it; a reboot inside the guest keeps the old values)"
      : "";
    return { name, ok: true, changed: true, message: `set up for ${mode}${when}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name, ok: false, changed: false, message };
  }
}

/** Every domain with an interface on one of `networks` (what `--all` sets up), by name. */
export async function domainsOn(shell: VirshShell, networks: readonly string[]): Promise<string[]> {
  const names = (await shell.run("list --all --name"))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  // Asked all at once: the session answers in order without a round trip each.
  const definitions = await Promise.all(
    names.map((name) => shell.run(`dumpxml --inactive ${quoted(name)}`)),
  );
  const served = names.filter((_name, i) =>
    domainNetworks(definitions[i] ?? "<domain/>").some((network) => networks.includes(network)),
  );
  return served.sort();
}
