/** Finds and renders an instance's user-data: its own file, the default template, or built-in. */
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { resolveTemplate } from "../config/load-config.js";
import type { Identity } from "../inventory/instance.js";
import { builtinUserdata } from "./builtin-userdata.js";
import { FileCache } from "./file-cache.js";
import { renderTemplate } from "./render-template.js";
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

export class UserdataService {
  private readonly files: FileCache;

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
    const values = templateValues(this.config, identity);
    switch (found.origin.kind) {
      case "none":
        return undefined;
      case "builtin":
        return { origin: found.origin, body: builtinUserdata(values) };
      default:
        return {
          origin: found.origin,
          body: renderTemplate(found.source ?? "", values, found.origin.file),
        };
    }
  }

  close(): void {
    this.files.close();
  }

  private async find(identity: Identity): Promise<Found> {
    const { userdata_dir, default_template, userdata_fallback } = this.config.mdserver;
    for (const candidate of userdataCandidates(identity.instance.name, identity.mac)) {
      const file = join(userdata_dir, candidate);
      const source = await this.files.read(file);
      if (source !== undefined) return { origin: { kind: "file", file }, source };
    }
    if (default_template !== undefined) {
      const file = resolveTemplate(this.config);
      const source = await this.files.read(file);
      if (source !== undefined) return { origin: { kind: "default-template", file }, source };
    }
    return { origin: userdata_fallback ? { kind: "builtin" } : { kind: "none" } };
  }
}
