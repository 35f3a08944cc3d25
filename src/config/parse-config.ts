/**
 * Turns the text of an mdserver.conf into a Config: pure, no file system access.
 * Every problem in the file is collected, each naming `section.key` and its line.
 */
import { dirname, resolve } from "node:path";
import type { z } from "zod";
import type { Config, PublicKey, StaticInstanceConfig } from "./config.js";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import { parseIni, type IniSection } from "./ini.js";
import { LEGACY_KEYS } from "./legacy-keys.js";
import { EMPTY_MEANS_UNSET, isOriginalStyle, PYTHON_LOG_LEVELS } from "./original-style.js";
import { dnsmasqSection } from "./sections/dnsmasq.js";
import { adminPlacementProblems, adminSection } from "./sections/admin.js";
import { ec2Section } from "./sections/ec2.js";
import { INSTANCE_SECTION_PREFIX, instanceSection } from "./sections/instance.js";
import { libvirtSection } from "./sections/libvirt.js";
import { logsToStdout, mdserverSection } from "./sections/mdserver.js";
import { serviceSection } from "./sections/service.js";
import { isSafeName } from "../util/safe-name.js";

/** The fixed sections and the schema of each. */
const SECTIONS = {
  mdserver: mdserverSection,
  service: serviceSection,
  dnsmasq: dnsmasqSection,
  libvirt: libvirtSection,
  ec2: ec2Section,
  admin: adminSection,
} as const;

/** The names a template can refer to as {{name}}. */
const TEMPLATE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Sections whose keys are names the user chooses. */
const FREE_SECTIONS = ["public-keys", "template-data"] as const;

/** A configuration and the warnings (not errors) found while reading it. */
export interface ParsedConfig {
  readonly config: Config;
  readonly warnings: readonly string[];
}

/** Parses and validates config text; throws ConfigError listing every problem. */
export function parseConfig(file: string, text: string): ParsedConfig {
  const ini = parseIni(text);
  if (!ini.ok) {
    throw new ConfigError(ini.problems.map((p) => ({ file, line: p.line, message: p.message })));
  }
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const empty: IniSection = { name: "", line: 0, entries: new Map() };

  const validate = <S extends z.ZodType>(
    name: string,
    schema: S,
    section: IniSection,
  ): z.output<S> | undefined => {
    const input: Record<string, string> = {};
    for (const [key, entry] of section.entries) {
      if (LEGACY_KEYS.get(name)?.has(key)) {
        warnings.push(
          `${file}:${entry.line}: ${name}.${key} is ignored (not used by this mdserver)`,
        );
      } else if (entry.value.trim() === "" && EMPTY_MEANS_UNSET.get(name)?.has(key)) {
        warnings.push(`${file}:${entry.line}: ${name}.${key} is empty: read as not set`);
      } else {
        input[key] = entry.value;
      }
    }
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [String(issue.path[0] ?? "")];
      for (const key of keys) {
        const entry = section.entries.get(key);
        const message =
          issue.code === "unrecognized_keys"
            ? `unknown key (check the spelling; see etc/mdserver.conf for every key)`
            : entry === undefined
              ? "is required"
              : issue.message;
        problems.push({
          file,
          line: entry?.line ?? section.line,
          where: `${name}.${key}`,
          message,
        });
      }
    }
    return undefined;
  };

  const sections = ini.sections;
  for (const section of sections.values()) {
    const known =
      section.name in SECTIONS ||
      (FREE_SECTIONS as readonly string[]).includes(section.name) ||
      section.name.startsWith(INSTANCE_SECTION_PREFIX);
    if (!known) {
      problems.push({
        file,
        line: section.line,
        where: `[${section.name}]`,
        message: `unknown section (known: ${[...Object.keys(SECTIONS), ...FREE_SECTIONS, "instance:NAME"].join(", ")})`,
      });
    }
  }

  const parts = Object.fromEntries(
    Object.entries(SECTIONS).map(([name, schema]) => [
      name,
      validate(name, schema, sections.get(name) ?? empty),
    ]),
  ) as { [K in keyof typeof SECTIONS]: z.output<(typeof SECTIONS)[K]> | undefined };

  const publicKeys: PublicKey[] = [];
  for (const [name, entry] of sections.get("public-keys")?.entries ?? []) {
    if (entry.value === "") {
      problems.push({ file, line: entry.line, where: `public-keys.${name}`, message: "is empty" });
    } else {
      publicKeys.push({ name, key: entry.value });
    }
  }
  const templateData = new Map<string, string>();
  for (const [name, entry] of sections.get("template-data")?.entries ?? []) {
    templateData.set(name, entry.value);
  }

  const instances = parseInstances(file, sections, validate, problems);
  const mdserver = parts.mdserver;
  if (mdserver && instances.length > 0 && !mdserver.instance_source.includes("static")) {
    problems.push({
      file,
      line: sections.get("mdserver")?.entries.get("instance_source")?.line,
      where: "mdserver.instance_source",
      message: `[${INSTANCE_SECTION_PREFIX}${instances[0]?.name}] is declared but "static" is not an instance source here`,
    });
  }
  if (mdserver?.instance_source.includes("static") && instances.length === 0) {
    warnings.push(
      `${file}: mdserver.instance_source names "static" but no [instance:NAME] is declared`,
    );
  }

  for (const [name, entry] of sections.get("template-data")?.entries ?? []) {
    if (!TEMPLATE_NAME.test(name)) {
      warnings.push(
        `${file}:${entry.line}: template-data.${name}: a template cannot refer to this name (use letters, digits and _)`,
      );
    }
  }
  const loglevel = sections.get("mdserver")?.entries.get("loglevel");
  const python = loglevel?.value.trim().toLowerCase();
  if (loglevel && (python === "fatal" || python === "notset")) {
    warnings.push(
      `${file}:${loglevel.line}: mdserver.loglevel: Python's "${python}" is read as ${PYTHON_LOG_LEVELS[python]}`,
    );
  }
  if (mdserver && parts.admin) {
    for (const { key, message } of adminPlacementProblems(parts.admin, mdserver)) {
      const line = sections.get("admin")?.entries.get(key)?.line;
      problems.push({ file, line, where: `admin.${key}`, message });
    }
  }
  if (problems.length > 0 || !mdserver) throw new ConfigError(problems);
  const { service, dnsmasq: dnsmasqParsed, libvirt, ec2: ec2Parsed, admin } = parts;
  if (!service || !dnsmasqParsed || !libvirt || !ec2Parsed || !admin)
    throw new ConfigError(problems);
  // A file written for the original keeps the instance-id its guests were given (a new one
  // would make cloud-init redo every guest's first boot); setting [ec2] instance_id, or any
  // other key the original lacked, opts into the stable form.
  const original = isOriginalStyle(sections);
  const ec2 = original ? { ...ec2Parsed, instance_id: "ip" as const } : ec2Parsed;
  if (original) {
    warnings.push(
      `${file}: a config file as mdserver 0.5 wrote it: instance-id stays i-<client address>, as 0.5 served it; set [ec2] instance_id = uuid for the stable form (see README, "Upgrading from mdserver 0.5")`,
    );
  }
  // Relative paths are taken from the config file's directory, whatever the working directory.
  const here = (path: string) => resolve(dirname(file), path);
  const hereIfSet = (path: string | undefined) => (path === undefined ? undefined : here(path));
  const dnsmasq = {
    ...dnsmasqParsed,
    base_dir: here(dnsmasqParsed.base_dir),
    addn_hosts: hereIfSet(dnsmasqParsed.addn_hosts),
    pid_file: hereIfSet(dnsmasqParsed.pid_file),
    dns_state_file: here(dnsmasqParsed.dns_state_file),
  };
  const config: Config = {
    file,
    mdserver: {
      ...mdserver,
      userdata_dir: here(mdserver.userdata_dir),
      // A relative default_template is looked up in userdata_dir.
      default_template:
        mdserver.default_template === undefined
          ? undefined
          : resolve(here(mdserver.userdata_dir), mdserver.default_template),
      logfile: logsToStdout(mdserver.logfile) ? mdserver.logfile : here(mdserver.logfile),
    },
    publicKeys,
    templateData,
    service,
    dnsmasq,
    libvirt,
    ec2,
    admin,
    instances,
  };
  return { config: deepFreeze(config), warnings };
}

type Validate = <S extends z.ZodType>(
  name: string,
  schema: S,
  section: IniSection,
) => z.output<S> | undefined;

function parseInstances(
  file: string,
  sections: ReadonlyMap<string, IniSection>,
  validate: Validate,
  problems: ConfigProblem[],
): StaticInstanceConfig[] {
  const instances: StaticInstanceConfig[] = [];
  const owners = new Map<string, string>();
  for (const section of sections.values()) {
    if (!section.name.startsWith(INSTANCE_SECTION_PREFIX)) continue;
    const name = section.name.slice(INSTANCE_SECTION_PREFIX.length).trim();
    if (!isSafeName(name)) {
      problems.push({
        file,
        line: section.line,
        where: `[${section.name}]`,
        message: `"${name}" is not a usable instance name (no "/", not "." or "..", not empty)`,
      });
      continue;
    }
    const values = validate(section.name, instanceSection, section);
    if (!values) continue;
    for (const ip of values.ip) {
      const owner = owners.get(ip);
      if (owner !== undefined) {
        problems.push({
          file,
          line: section.entries.get("ip")?.line,
          where: `${section.name}.ip`,
          message: `${ip} is already the address of [${INSTANCE_SECTION_PREFIX}${owner}]`,
        });
      }
      owners.set(ip, name);
    }
    instances.push({ name, ...values });
  }
  return instances;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) {
      for (const v of value.values()) deepFreeze(v);
    } else {
      for (const v of Object.values(value)) deepFreeze(v);
    }
  }
  return value;
}
