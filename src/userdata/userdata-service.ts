/** Finds and renders an instance's user-data: its own file, the default template, or built-in. */
import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { Identity } from "../inventory/instance.js";
import { silentLogger, type Logger } from "../log/logger.js";
import { builtinUserdata } from "./builtin-userdata.js";
import { TemplateCache } from "./template-cache.js";
import { templateValues } from "./template-values.js";
import { userdataCandidates } from "./userdata-candidates.js";
import { templateText } from "./userdata-content.js";
import { UserdataFiles } from "./userdata-files.js";
import { checkCloudConfig } from "./yaml-check.js";

/** Where an instance's user-data comes from. */
export type UserdataOrigin =
  | { readonly kind: "file"; readonly file: string }
  | { readonly kind: "default-template"; readonly file: string }
  | { readonly kind: "builtin" }
  | { readonly kind: "none" };

/** A file's bytes and where they came from, before rendering. */
interface Found {
  readonly origin: UserdataOrigin;
  readonly bytes?: Buffer;
}

/**
 * User-data as served: rendered template text, or a file's bytes untouched when they are not
 * text (see userdata-content.ts).
 */
export type UserdataBody = string | Buffer;

/** A rendering kept for an identity, good while its file's bytes are the same. */
interface Rendered {
  readonly origin: UserdataOrigin;
  readonly bytes: Buffer | undefined;
  readonly body: UserdataBody;
}

export class UserdataService {
  private readonly files: UserdataFiles;
  /**
   * The last rendering per identity. Identities are immutable (a changed guest is a new
   * object) and the config is frozen, so the output only changes with the file's bytes.
   */
  private readonly rendered = new WeakMap<Identity, Rendered>();
  private readonly candidates = new WeakMap<Identity, readonly string[]>();
  private readonly templates = new TemplateCache();

  constructor(
    private readonly config: Config,
    log: Logger = silentLogger(),
  ) {
    this.files = new UserdataFiles(config.mdserver, log);
  }

  /** Which file (or fallback) would serve this instance, without rendering it. */
  async origin(identity: Identity): Promise<UserdataOrigin> {
    return (await this.find(identity)).origin;
  }

  /** The rendered user-data, or undefined when the instance has none (serve 404). */
  async render(
    identity: Identity,
  ): Promise<{ origin: UserdataOrigin; body: UserdataBody } | undefined> {
    const found = await this.find(identity);
    if (found.origin.kind === "none") return undefined;
    const last = this.rendered.get(identity);
    if (last && sameBytes(last.bytes, found.bytes) && sameOrigin(last.origin, found.origin)) {
      return { origin: found.origin, body: last.body };
    }
    const body = this.body(identity, found);
    this.rendered.set(identity, { origin: found.origin, bytes: found.bytes, body });
    return { origin: found.origin, body };
  }

  close(): void {
    this.files.close();
  }

  private body(identity: Identity, found: Found): UserdataBody {
    const values = templateValues(this.config, identity);
    if (found.origin.kind === "builtin") {
      const builtin = builtinUserdata(values);
      checkCloudConfig(builtin, "(built-in user-data)");
      return builtin;
    }
    const bytes = found.bytes ?? Buffer.alloc(0);
    const text = templateText(bytes);
    if (text === undefined) return bytes;
    const file = "file" in found.origin ? found.origin.file : "";
    const rendered = this.templates.get(text, file).render(values);
    checkCloudConfig(rendered, file);
    return rendered;
  }

  /** The files to try for an identity, worked out once per identity. */
  private candidateFiles(identity: Identity): readonly string[] {
    let files = this.candidates.get(identity);
    if (files === undefined) {
      const dir = this.config.mdserver.userdata_dir;
      files = userdataCandidates(identity.instance.name, identity.mac).map((c) => join(dir, c));
      this.candidates.set(identity, files);
    }
    return files;
  }

  private async find(identity: Identity): Promise<Found> {
    const found = await this.files.find(this.candidateFiles(identity));
    if (found.kind === "fallback") {
      return {
        origin: this.config.mdserver.userdata_fallback ? { kind: "builtin" } : { kind: "none" },
      };
    }
    return { origin: { kind: found.kind, file: found.file }, bytes: found.bytes };
  }
}

function sameOrigin(a: UserdataOrigin, b: UserdataOrigin): boolean {
  return a.kind === b.kind && ("file" in a ? a.file : "") === ("file" in b ? b.file : "");
}

/** Cheap while a file is cached (the same Buffer); a byte comparison after a re-read. */
function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.equals(b));
}
