/**
 * Finds a guest's user-data file among its candidates and the default_template, refusing to
 * fall back silently: something at a candidate's name that cannot be served, an unusable
 * default_template, or userdata_dir gone after start fail that guest's user-data (the operator
 * meant a file to be served); each such problem is logged once per file until it changes.
 */
import { statSync } from "node:fs";
import { dirname } from "node:path";
import type { MdserverConfig } from "../config/sections/mdserver.js";
import type { Logger } from "../log/logger.js";
import { FileCache } from "./file-cache.js";
import { UserdataFileError } from "./userdata-file-error.js";

/** A file that was found (with its bytes), or none: the built-in or no user-data follows. */
export type FoundFile =
  | { readonly kind: "file" | "default-template"; readonly file: string; readonly bytes: Buffer }
  | { readonly kind: "fallback" };

/** Bounds the memory of logged problems; past it they may be logged once more. */
const REMEMBERED = 1000;

export class UserdataFiles {
  private readonly files: FileCache;
  /** The problem last logged per file, so each is logged once until it changes. */
  private readonly reported = new Map<string, string>();
  /** Whether userdata_dir existed at start: only then is its absence an error. */
  private readonly dirAtStart: boolean;

  constructor(
    private readonly settings: Pick<MdserverConfig, "userdata_dir" | "default_template">,
    private readonly log: Logger,
  ) {
    const { userdata_dir, default_template } = settings;
    const roots = [userdata_dir];
    if (default_template !== undefined) roots.push(dirname(default_template));
    this.files = new FileCache(roots);
    this.dirAtStart = isDirectory(userdata_dir);
  }

  /**
   * The first of `candidates` that exists, else `fallback` (a part's default: the
   * default_template for user-data); throws UserdataFileError. A missing default is told once
   * when `reportMissing` (the operator named it), and means "none" either way.
   */
  async find(
    candidates: readonly string[],
    fallback: string | undefined,
    reportMissing: string | undefined,
  ): Promise<FoundFile> {
    for (const file of candidates) {
      const bytes = await this.existing(file);
      if (bytes !== undefined) return { kind: "file", file, bytes };
    }
    const dir = this.settings.userdata_dir;
    if (this.dirAtStart) {
      if (!(await this.files.isDirectory(dir))) {
        throw this.refuse(
          dir,
          "(userdata_dir) is gone since start: user-data fails until it is back",
        );
      }
      this.resolved(dir);
    }
    if (fallback === undefined) return { kind: "fallback" };
    const read = await this.files.read(fallback);
    if (read.kind === "unusable") throw this.refuse(fallback, `${read.problem}`, read.target);
    if (read.kind === "missing") {
      // As at start-up, and as the original did: the built-in stands in.
      if (reportMissing !== undefined) this.report(fallback, reportMissing);
      return { kind: "fallback" };
    }
    this.resolved(fallback);
    return { kind: "default-template", file: fallback, bytes: read.bytes };
  }

  /** The bytes of `file`, or undefined when nothing is there; throws UserdataFileError. */
  async existing(file: string): Promise<Buffer | undefined> {
    const read = await this.files.read(file);
    if (read.kind === "unusable") throw this.refuse(file, read.problem, read.target);
    this.resolved(file);
    return read.kind === "file" ? read.bytes : undefined;
  }

  /** The files' version (FileCache.version): equal versions, the same files. */
  version(): number {
    return this.files.version();
  }

  close(): void {
    this.files.close();
  }

  private refuse(file: string, problem: string, target?: string): UserdataFileError {
    this.report(file, problem, target);
    return new UserdataFileError(file, problem);
  }

  private report(file: string, problem: string, target?: string): void {
    if (this.reported.get(file) === problem) return;
    if (this.reported.size >= REMEMBERED) this.reported.clear();
    this.reported.set(file, problem);
    this.log.warn({ file, target }, `user-data: ${file} ${problem}`);
  }

  /** The file is fine again: a later problem with it is news. */
  private resolved(file: string): void {
    if (!this.reported.delete(file)) return;
    this.log.info({ file }, `user-data: ${file}: the problem logged before is gone`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
