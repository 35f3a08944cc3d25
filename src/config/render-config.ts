/** Writes a Config back as INI, every default filled in and the password masked. Pure. */
import type { Config } from "./config.js";
import { INSTANCE_SECTION_PREFIX } from "./sections/instance.js";

const MASK = "********";

type Value = string | number | boolean | null | undefined | readonly string[];

function format(value: Value): string {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.join(", ");
  if (value === null) return "no";
  return String(value);
}

function section(name: string, values: Readonly<Record<string, Value>>): string {
  const lines = [`[${name}]`];
  for (const [key, value] of Object.entries(values)) {
    lines.push(value === undefined ? `# ${key} = (not set)` : `${key} = ${format(value)}`);
  }
  return lines.join("\n");
}

export function renderConfig(config: Config): string {
  const { password, ...mdserver } = config.mdserver;
  const parts = [
    `# effective configuration from ${config.file}`,
    section("mdserver", { ...mdserver, password: password === undefined ? undefined : MASK }),
    section("public-keys", Object.fromEntries(config.publicKeys.map((k) => [k.name, k.key]))),
    section("template-data", Object.fromEntries(config.templateData)),
    section("service", config.service),
    section("dnsmasq", config.dnsmasq),
    section("libvirt", config.libvirt),
    section("ec2", config.ec2),
    section("admin", config.admin),
    ...config.instances.map(({ name, ...values }) =>
      section(`${INSTANCE_SECTION_PREFIX}${name}`, values),
    ),
  ];
  return `${parts.join("\n\n")}\n`;
}
