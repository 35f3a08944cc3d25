/**
 * Reads one user-data file without trusting what is at its path: a symlink is followed only
 * when its target stays inside an allowed directory, only regular files are read, never
 * blocking (a FIFO) and never more than a bounded number of bytes (what is read is counted,
 * since /proc and sysfs files claim a size of 0).
 */
import { constants, type Stats } from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import { sep } from "node:path";

/** Larger files are refused: user-data is small (EC2 allows 16 KiB), and memory is not endless. */
export const MAX_USERDATA_BYTES = 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;

/** What was found at a path. */
export type FileRead =
  /** A regular file within bounds: its bytes. */
  | { readonly kind: "file"; readonly bytes: Buffer }
  /** Nothing at that name (the next candidate is tried). */
  | { readonly kind: "missing" }
  /** Something the operator put there that cannot be served; `target` for a refused link. */
  | { readonly kind: "unusable"; readonly problem: string; readonly target?: string };

/**
 * The file at `path`, read when it (or, for a symlink, its final target) is a regular file
 * inside one of `roots` (absolute directories, symlinks in them resolved).
 */
export async function readSafely(path: string, roots: readonly string[]): Promise<FileRead> {
  let link: Stats;
  try {
    link = await lstat(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    return unusable(error);
  }
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === "ENOENT")
      return { kind: "unusable", problem: "is a symbolic link to a file that does not exist" };
    if (code === "ELOOP") return { kind: "unusable", problem: "is a loop of symbolic links" };
    return unusable(error);
  }
  const allowed = await realRoots(roots);
  if (!allowed.some((root) => real.startsWith(root.endsWith(sep) ? root : root + sep))) {
    return {
      kind: "unusable",
      problem: `is a symbolic link to ${real}, outside userdata_dir and the default_template's directory: not followed`,
      target: real,
    };
  }
  if (!link.isSymbolicLink() && !link.isFile()) return { kind: "unusable", problem: kindOf(link) };
  return readRegular(real);
}

/**
 * Opens the resolved path without following a link swapped in meanwhile and without blocking
 * on a FIFO, checks the opened file is a regular one, and reads at most the limit plus one.
 */
async function readRegular(real: string): Promise<FileRead> {
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    return codeOf(error) === "ENOENT" ? { kind: "missing" } : unusable(error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: "unusable", problem: kindOf(info) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, MAX_USERDATA_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return { kind: "file", bytes: Buffer.concat(chunks, total) };
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_USERDATA_BYTES) {
        return { kind: "unusable", problem: `is larger than ${MAX_USERDATA_BYTES} bytes` };
      }
    }
  } catch (error) {
    return unusable(error);
  } finally {
    await handle.close();
  }
}

/** The allowed directories with their symlinks resolved (a missing one allows nothing). */
async function realRoots(roots: readonly string[]): Promise<string[]> {
  const resolved = await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)));
  return resolved.filter((root): root is string => root !== undefined);
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return "is a directory, not a file";
  if (info.isFIFO()) return "is a FIFO (named pipe), not a file";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "is a device, not a file";
  if (info.isSocket()) return "is a socket, not a file";
  return "is not a regular file";
}

function unusable(error: unknown): FileRead {
  const code = codeOf(error);
  if (code === "EACCES" || code === "EPERM") {
    return { kind: "unusable", problem: "is not readable by this user" };
  }
  if (code === "EISDIR") return { kind: "unusable", problem: "is a directory, not a file" };
  return {
    kind: "unusable",
    problem: `cannot be read: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
