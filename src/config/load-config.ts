/** Reads a config file and checks what it points at on this machine. */
import { constants } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { logfileProblem } from "./check-logfile.js";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import type { Config } from "./config.js";
import { parseIni } from "./ini.js";
import { parseConfig, type ParsedConfig } from "./parse-config.js";
import { logsToStdout, mdserverSection } from "./sections/mdserver.js";

/** Where the original and its unit files expect the configuration. */
export const DEFAULT_CONFIG_FILE = "/etc/mdserver/mdserver.conf";

/** Loads, validates and checks a config file; throws ConfigError with every problem. */
export async function loadConfig(path: string): Promise<ParsedConfig> {
  const file = resolve(path);
  let text: string;
  const missing: string[] = [];
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new ConfigError([{ file, message: `cannot read the config file: ${describe(error)}` }]);
    }
    // The original (Python's configparser) ran on its defaults without a file: so does this.
    missing.push(`${file}: no such config file: every setting has its default`);
    text = "";
  }
  const parsed = parseConfig(file, text);
  const { problems, warnings } = await checkPaths(parsed.config, text);
  if (problems.length > 0) throw new ConfigError(problems);
  return { config: parsed.config, warnings: [...missing, ...parsed.warnings, ...warnings] };
}

const DEFAULT_USERDATA_DIR = mdserverSection.parse({}).userdata_dir;

/** Checks the files and directories the config names: readable, of the right kind. */
async function checkPaths(
  config: Config,
  text: string,
): Promise<{ problems: ConfigProblem[]; warnings: string[] }> {
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  const { userdata_dir, default_template } = config.mdserver;
  const dirProblem = await checkReadable(userdata_dir, "directory");
  if (dirProblem) {
    // The original did not need the directory; a config that never named one keeps working.
    if (userdata_dir === DEFAULT_USERDATA_DIR && dirProblem.startsWith("does not exist")) {
      warnings.push(
        `${config.file}: mdserver.userdata_dir: ${userdata_dir} ${dirProblem}; only built-in user-data will be served`,
      );
    } else {
      problems.push({
        file: config.file,
        where: "mdserver.userdata_dir",
        message: `${userdata_dir} ${dirProblem}`,
      });
    }
  }
  if (default_template !== undefined) {
    const problem = await checkReadable(default_template, "file");
    if (problem?.startsWith("does not exist")) {
      // The original logged this and served its built-in user-data; so does this, until it exists.
      const line = lineOf(text, "mdserver", "default_template");
      warnings.push(
        `${config.file}:${line}: mdserver.default_template: ${default_template} ${problem}; the built-in user-data is served instead`,
      );
    } else if (problem) {
      problems.push({
        file: config.file,
        where: "mdserver.default_template",
        message: `${default_template} ${problem}`,
      });
    }
  }
  const { logfile } = config.mdserver;
  const logProblem = logsToStdout(logfile) ? undefined : await logfileProblem(logfile);
  if (logProblem) {
    problems.push({
      file: config.file,
      where: "mdserver.logfile",
      message: `${logfile} ${logProblem}`,
    });
  }
  return { problems, warnings };
}

async function checkReadable(
  path: string,
  kind: "file" | "directory",
): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (kind === "directory" && !info.isDirectory()) return "is not a directory";
    if (kind === "file" && !info.isFile()) return "is not a regular file";
    await access(path, kind === "directory" ? constants.R_OK | constants.X_OK : constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return "does not exist";
    if (code === "EACCES") return "is not readable by this user";
    return `cannot be checked: ${describe(error)}`;
  }
}

/** The line of `section.key` in config text (it is there: the config was read from it). */
function lineOf(text: string, section: string, key: string): number | undefined {
  const ini = parseIni(text);
  return ini.ok ? ini.sections.get(section)?.entries.get(key)?.line : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
