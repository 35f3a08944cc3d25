/**
 * Whether the log file the config names can be written, checked at start-up (and by
 * check-config) so that a log that cannot be opened is a config error, not a silent server.
 * Nothing is created: a missing file needs its nearest existing directory to be writable.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname } from "node:path";

/** A problem with `path` as a log file, or undefined when it can be written. */
export async function logfileProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return "is a directory";
    await access(path, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES") return "is not writable by this user";
    if (code !== "ENOENT") return `cannot be checked: ${(error as Error).message}`;
  }
  // Missing: it (and missing directories) will be created in the nearest existing directory.
  for (let dir = dirname(path), i = 0; i < 100; dir = dirname(dir), i++) {
    try {
      const info = await stat(dir);
      if (!info.isDirectory()) return `cannot be created: ${dir} is not a directory`;
      await access(dir, constants.W_OK | constants.X_OK);
      return undefined;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EACCES") return `cannot be created: ${dir} is not writable by this user`;
      if (code !== "ENOENT" || dir === dirname(dir)) return `cannot be created: ${dir}`;
    }
  }
  return undefined;
}
