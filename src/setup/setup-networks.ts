/**
 * `mdserver network-setup` over one virsh session: the persistent definition gets the route
 * (network-setup.ts), is defined, read back and checked. libvirt passes dnsmasq options only
 * when it starts the network's dnsmasq, so a running network needs a restart to use it.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { networkSetup } from "./network-setup.js";
import type { SetupOutcome } from "./setup-domains.js";
import { SetupError } from "./setup-error.js";
import { quoted, type VirshShell } from "./virsh-shell.js";
import { xmlDiff } from "./xml-diff.js";

/** Adds the metadata route to one network; failures are outcomes, not exceptions. */
export async function setUpNetwork(
  shell: VirshShell,
  name: string,
  options: { readonly dryRun: boolean; readonly scratch: string },
): Promise<SetupOutcome> {
  try {
    const before = await persistentNetwork(shell, name);
    const setup = networkSetup(before);
    const active = /^Active:\s+yes$/m.test(await shell.run(`net-info ${quoted(name)}`));
    const restart = `; restart the network for dnsmasq to send it (virsh net-destroy ${name}; virsh net-start ${name}), and guests get it with their next lease`;
    switch (setup.kind) {
      case "not-needed":
        return { name, ok: true, changed: false, message: `nothing to do: ${setup.why}` };
      case "set-up": {
        const live = active && networkSetup(await shell.run(`net-dumpxml ${quoted(name)}`));
        const pending = live !== false && live.kind !== "set-up";
        const message = `already routes 169.254.169.254${pending ? ` in its definition${restart}` : ""}`;
        return { name, ok: true, changed: false, message };
      }
      case "needs-route":
        break;
    }
    const route = `169.254.169.254/32 via ${setup.gateway}`;
    if (options.dryRun) {
      const diff = xmlDiff(name, before, setup.xml);
      return { name, ok: true, changed: true, message: `would route ${route}`, diff };
    }
    const file = join(options.scratch, "network.xml");
    await writeFile(file, setup.xml, { mode: 0o600 });
    await shell.run(`net-define ${quoted(file)}`);
    const kept = networkSetup(await persistentNetwork(shell, name));
    if (kept.kind !== "set-up") {
      throw new SetupError("libvirt accepted the definition but did not keep the route");
    }
    return { name, ok: true, changed: true, message: `routes ${route}${active ? restart : ""}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name, ok: false, changed: false, message };
  }
}

/**
 * The network's persistent definition. libvirt's test driver knows no --inactive for networks
 * (its networks have one definition): there the plain one is it.
 */
async function persistentNetwork(shell: VirshShell, name: string): Promise<string> {
  try {
    return await shell.run(`net-dumpxml --inactive ${quoted(name)}`);
  } catch (error) {
    if (!/unsupported flags/.test(String(error))) throw error;
    return shell.run(`net-dumpxml ${quoted(name)}`);
  }
}
