/**
 * mdserver's small JSON state files under /var/lib/mdserver (libvirt DNS entries, boot
 * reports): read whole, written atomically into a directory made if need be.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { writeFileAtomic } from "../dns/atomic-write.js";

/**
 * The JSON in `file`: undefined when the file does not exist, {} when it is not JSON.
 * Throws (naming the file) when it cannot be read.
 */
export async function readStateFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

/** Writes `value` as JSON to `file` atomically, creating its directory if needed. */
export async function writeStateFile(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 1)}\n`);
}
