/**
 * Replaces a file's content so that no reader ever sees a partial file: the new content goes
 * to a temporary file beside it, is flushed to disk, and is renamed over the old one. If any
 * step fails (read-only directory, full disk), the temporary file is removed and the old file
 * is left whole.
 */
import { open, realpath, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let counter = 0;

/** The path a link points to (a hosts file may be a link), or the path itself if it is new. */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return path;
    throw error;
  }
}

/** Writes `content` to `path` atomically (see the module comment); keeps mode and owner. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const target = await resolveTarget(path);
  const dir = dirname(target);
  const old = await stat(target).catch(() => undefined);
  // A dot file: dnsmasq's --hostsdir and most readers of a directory skip those.
  const temp = join(dir, `.${basename(target)}.mdserver-${process.pid}-${++counter}`);
  const handle = await open(temp, "wx", 0o600);
  try {
    try {
      await handle.writeFile(content);
      await handle.chmod(old ? old.mode & 0o7777 : 0o644);
      if (old && process.getuid?.() === 0) await handle.chown(old.uid, old.gid);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/** Flushes the directory entry of the rename, so the new file survives a power cut. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot sync a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}
