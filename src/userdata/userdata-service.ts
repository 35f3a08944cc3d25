/** Finds and renders an instance's user-data: its own file, the default template, or built-in. */
import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { Identity } from "../inventory/instance.js";
import { builtinUserdata } from "./builtin-userdata.js";
import { FileCache } from "./file-cache.js";
import { TemplateCache } from "./template-cache.js";
import { templateValues } from "./template-values.js";
import { userdataCandidates } from "./userdata-candidates.js";

/** Where an instance's user-data comes from. */
export type UserdataOrigin =
  | { readonly kind: "file"; readonly file: string }
  | { readonly kind: "default-template"; readonly file: string }
  | { readonly kind: "builtin" }
  | { readonly kind: "none" };

/** A template and where it came from, before rendering. */
interface Found {
  readonly origin: UserdataOrigin;
  readonly source?: string;
}

/** A rendering kept for an identity, good while its template text is the same. */
interface Rendered {
  readonly origin: UserdataOrigin;
  readonly source: string | undefined;
  readonly body: string;
}

export class UserdataService {
  private readonly files: FileCache;
  /**
   * The last rendering per identity. Identities are immutable (a changed guest is a new
   * object) and the config is frozen, so the output only changes with the template text.
   */
  private readonly rendered = new WeakMap<Identity, Rendered>();
  private readonly candidates = new WeakMap<Identity, readonly string[]>();
  private readonly templates = new TemplateCache();

  constructor(
    private readonly config: Config,
    files = new FileCache(),
  ) {
    this.files = files;
  }

  /** Which file (or fallback) would serve this instance, without rendering it. */
  async origin(identity: Identity): Promise<UserdataOrigin> {
    return (await this.find(identity)).origin;
  }

  /** The rendered user-data, or undefined when the instance has none (serve 404). */
  async render(identity: Identity): Promise<{ origin: UserdataOrigin; body: string } | undefined> {
    const found = await this.find(identity);
    if (found.origin.kind === "none") return undefined;
    const last = this.rendered.get(identity);
    if (last && last.source === found.source && sameOrigin(last.origin, found.origin)) {
      return { origin: found.origin, body: last.body };
    }
    const values = templateValues(this.config, identity);
    const body =
      found.origin.kind === "builtin"
        ? builtinUserdata(values)
        : this.templates.get(found.source ?? "", found.origin.file).render(values);
    this.rendered.set(identity, { origin: found.origin, source: found.source, body });
    return { origin: found.origin, body };
  }

  close(): void {
    this.files.close();
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
    const { default_template, userdata_fallback } = this.config.mdserver;
    for (const file of this.candidateFiles(identity)) {
      const source = await this.files.read(file);
      if (source !== undefined) return { origin: { kind: "file", file }, source };
    }
    if (default_template !== undefined) {
      const file = default_template;
      const source = await this.files.read(file);
      if (source !== undefined) return { origin: { kind: "default-template", file }, source };
    }
    return { origin: userdata_fallback ? { kind: "builtin" } : { kind: "none" } };
  }
}

function sameOrigin(a: UserdataOrigin, b: UserdataOrigin): boolean {
  return a.kind === b.kind && ("file" in a ? a.file : "") === ("file" in b ? b.file : "");
}

/** An origin as `mdserver list`, the status page and `mdserver status` show it. */
export function describeOrigin(origin: UserdataOrigin): string {
  switch (origin.kind) {
    case "file":
      return origin.file;
    case "default-template":
      return `${origin.file} (default_template)`;
    case "builtin":
      return "(built-in)";
    case "none":
      return "(none)";
  }
}
