/**
 * `mdserver network-setup NETWORK… | --all [--dry-run]`: gives the guests of isolated libvirt
 * networks a route to 169.254.169.254 (DHCP option 121 through libvirt's dnsmasq options).
 */
import { setUpNetwork } from "../setup/setup-networks.js";
import type { ArgvCommand } from "./command.js";
import { runSetupCommand } from "./setup-command.js";

const SPEC = {
  name: "network-setup",
  summary: "Gives an isolated network's guests a route to 169.254.169.254 (DHCP option 121).",
  what: "NETWORK",
  modeOption: false,
  help: `      --all          every [dnsmasq] net_name network
`,
} as const;

/** `mdserver network-setup`. */
export const networkSetupCommand: ArgvCommand = {
  name: SPEC.name,
  summary: SPEC.summary,
  runArgv: (argv) =>
    runSetupCommand(SPEC, argv, async ({ config, shell, scratch, args }) => {
      const names = args.all ? config.dnsmasq.net_name : args.names;
      const outcomes = [];
      for (const name of names) {
        outcomes.push(await setUpNetwork(shell, name, { dryRun: args.dryRun, scratch }));
      }
      return outcomes;
    }),
};
