/**
 * `mdserver guest-setup DOMAIN… | --all [--mode M] [--dry-run]`: changes domains' persistent
 * definitions (SMBIOS sysinfo) so that cloud-init in an unmodified cloud image detects mdserver.
 */
import { domainsOn, setUpDomain } from "../setup/setup-domains.js";
import { SETUP_MODES, type SetupMode } from "../setup/setup-mode.js";
import { UsageError, type ArgvCommand } from "./command.js";
import { runSetupCommand } from "./setup-command.js";

const SPEC = {
  name: "guest-setup",
  summary:
    "Sets up domains so that cloud-init in stock cloud images finds mdserver (SMBIOS sysinfo).",
  what: "DOMAIN",
  modeOption: true,
  help: `      --mode MODE    openstack, nocloud or ec2 (default: [mdserver] guest_setup)
      --all          every domain with an interface on a [dnsmasq] net_name network
`,
} as const;

/** `mdserver guest-setup`. */
export const guestSetupCommand: ArgvCommand = {
  name: SPEC.name,
  summary: SPEC.summary,
  runArgv: (argv) =>
    runSetupCommand(SPEC, argv, async ({ config, shell, scratch, args }) => {
      const mode = args.mode ?? config.mdserver.guest_setup;
      if (!(SETUP_MODES as readonly string[]).includes(mode)) {
        throw new UsageError(
          `mdserver guest-setup: --mode must be one of ${SETUP_MODES.join(", ")} (guest_setup is "${mode}")`,
        );
      }
      const names = args.all ? await domainsOn(shell, config.dnsmasq.net_name) : args.names;
      const options = { mode: mode as SetupMode, dryRun: args.dryRun, scratch };
      const outcomes = [];
      for (const name of names) outcomes.push(await setUpDomain(shell, name, options));
      return outcomes;
    }),
};
