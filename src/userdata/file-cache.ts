/**
 * Reads user-data files (safely: see safe-read.ts) with a short-lived cache, so user-data
 * requests under load do not hit the disk each time while edits still show at once: a
 * change in a directory drops what was read there (a watch per directory), and everything
 * is dropped every `maxAgeMs` anyway (for changes a watch cannot see, such as the target of a
 * symlink elsewhere, or where inotify is unavailable).
 *
 * `version()` counts those drops, so that what was made from the files (a rendering, a
 * guest's EC2 tree) can be kept and trusted without asking the cache again while the version
 * is the one it was made at.
 */
import { watch, type FSWatcher } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { readSafely, type FileRead } from "./safe-read.js";

const MISSING: FileRead = { kind: "missing" };

interface Entry {
  readonly value: Promise<unknown>;
  /** The directory whose changes make it stale. */
  readonly dir: string;
}

export class FileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly watchers = new Map<string, FSWatcher | null>();
  /** Drops so far (see version()). */
  private drops = 0;
  /** The age period the entries were read in: all are dropped when it ends. */
  private period = 0;

  /** `roots`: the directories a symlink may lead into. */
  constructor(
    private readonly roots: readonly string[],
    private readonly maxAgeMs = 5000,
  ) {}

  /**
   * What is at `path`: a regular file's bytes, nothing, or something that cannot be served.
   * Most names asked for are not there (a guest's user-data has four candidate names, and each
   * other part three): the directory's listing, read once, answers those without a look each.
   */
  read(path: string): Promise<FileRead> {
    const dir = dirname(path);
    return this.cached(`file\0${path}`, dir, async () => {
      const names = await this.names(dir);
      if (names !== undefined && !names.has(basename(path))) return MISSING;
      return readSafely(path, this.roots);
    });
  }

  /** The names in `dir` (cached as files are); undefined when it cannot be listed. */
  private names(dir: string): Promise<ReadonlySet<string> | undefined> {
    return this.cached(`names\0${dir}`, dir, () =>
      readdir(dir).then(
        (names) => new Set(names),
        () => undefined,
      ),
    );
  }

  /**
   * Whether `path` is a directory now (cached as files are). Its own watch tells when it goes:
   * a watch of its parent would also fire for every write beside it (a log file, say).
   */
  isDirectory(path: string): Promise<boolean> {
    return this.cached(`dir\0${path}`, path, () =>
      stat(path).then(
        (info) => info.isDirectory(),
        () => false,
      ),
    );
  }

  /**
   * Changes whenever anything read before may differ now (a change seen in a watched
   * directory, the end of an age period): equal versions mean the same files.
   */
  version(): number {
    const period = Math.floor(Date.now() / this.maxAgeMs);
    if (period !== this.period) {
      this.period = period;
      this.entries.clear();
      this.drops++;
    }
    return this.drops;
  }

  /** Stops watching; the cache then only expires by age. */
  close(): void {
    for (const watcher of this.watchers.values()) watcher?.close();
    this.watchers.clear();
    this.entries.clear();
  }

  private cached<T>(key: string, dir: string, load: () => Promise<T>): Promise<T> {
    this.version();
    const cached = this.entries.get(key);
    if (cached) return cached.value as Promise<T>;
    this.watchDirectory(dir);
    const value = load();
    this.entries.set(key, { value, dir });
    // A failed load is not remembered: the next request tries again.
    value.catch(() => this.entries.delete(key));
    return value;
  }

  private watchDirectory(dir: string): void {
    if (this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: false }, () => this.forget(dir));
      watcher.on("error", () => {
        watcher.close();
        // Watched again at the next read (the directory may have been removed and made anew).
        this.watchers.delete(dir);
        this.forget(dir);
      });
      this.watchers.set(dir, watcher);
    } catch {
      // No watch possible (missing directory, no inotify): rely on the age limit.
      this.watchers.set(dir, null);
    }
  }

  /** Drops what was read in `dir`: something there changed. */
  private forget(dir: string): void {
    this.drops++;
    for (const [key, entry] of this.entries) if (entry.dir === dir) this.entries.delete(key);
  }
}
