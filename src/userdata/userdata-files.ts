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

  /** The first of `candidates` that exists, else the default_template; throws UserdataFileError. */
  async find(candidates: readonly string[]): Promise<FoundFile> {
    for (const file of candidates) {
      const read = await this.files.read(file);
      if (read.kind === "missing") {
        this.resolved(file);
        continue;
      }
      if (read.kind === "unusable") throw this.refuse(file, read.problem, read.target);
      this.resolved(file);
      return { kind: "file", file, bytes: read.bytes };
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
    const file = this.settings.default_template;
    if (file === undefined) return { kind: "fallback" };
    const read = await this.files.read(file);
    if (read.kind === "unusable")
      throw this.refuse(file, `(default_template) ${read.problem}`, read.target);
    if (read.kind === "missing") {
      // As at start-up, and as the original did: the built-in user-data stands in.
      this.report(
        file,
        "(default_template) does not exist: the built-in user-data is served instead",
      );
      return { kind: "fallback" };
    }
    this.resolved(file);
    return { kind: "default-template", file, bytes: read.bytes };
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
