/**
 * Reads small text files with a short-lived cache, so user-data requests under load do not
 * hit the disk each time while edits still show at once: a directory watch drops the cache on
 * any change, and entries expire after `maxAgeMs` anyway (for changes a watch cannot see, such
 * as the target of a symlink elsewhere, or where inotify is unavailable).
 */
import { constants, watch, type FSWatcher } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";

interface Entry {
  readonly text: Promise<string | undefined>;
  readonly at: number;
}

export class FileCache {
  private entries = new Map<string, Entry>();
  private readonly watchers = new Map<string, FSWatcher | null>();

  constructor(private readonly maxAgeMs = 5000) {}

  /** The file's text, or undefined when it does not exist or is not a regular file. */
  read(path: string): Promise<string | undefined> {
    const now = Date.now();
    const cached = this.entries.get(path);
    if (cached && now - cached.at < this.maxAgeMs) return cached.text;
    this.watchDirectory(dirname(path));
    const text = readText(path);
    this.entries.set(path, { text, at: now });
    // A failed read (permissions, I/O) is not remembered: the next request tries again.
    text.catch(() => this.entries.delete(path));
    return text;
  }

  /** Stops watching; the cache then only expires by age. */
  close(): void {
    for (const watcher of this.watchers.values()) watcher?.close();
    this.watchers.clear();
    this.entries.clear();
  }

  private watchDirectory(dir: string): void {
    if (this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: false }, () => {
        this.entries = new Map();
      });
      watcher.on("error", () => {
        watcher.close();
        this.entries = new Map();
      });
      this.watchers.set(dir, watcher);
    } catch {
      // No watch possible (missing directory, no inotify): rely on the age limit.
      this.watchers.set(dir, null);
    }
  }
}

/** Larger files are refused: user-data is small (EC2 allows 16 KiB), and memory is not endless. */
const MAX_BYTES = 1024 * 1024;

/**
 * A regular file's text, or undefined when there is no regular file at `path`. Opened without
 * blocking and checked before reading, so a FIFO or a device (say a symlink to /dev/zero)
 * placed in the directory can neither hang a thread nor fill memory.
 */
async function readText(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP") return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    if (info.size > MAX_BYTES) throw new Error(`${path} is larger than ${MAX_BYTES} bytes`);
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}
