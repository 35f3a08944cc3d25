/**
 * Finds and renders a guest's parts (user-data, vendor-data, network-config, meta-data): the
 * file the search finds (part-search.ts), rendered as a template, or the part's built-in.
 */
import type { Config } from "../config/config.js";
import { instanceId } from "../frontends/ec2/instance-id.js";
import { domainMetadataOf } from "../inventory/domain-metadata.js";
import type { Identity } from "../inventory/instance.js";
import { builtinUserdata } from "./builtin-userdata.js";
import { builtinVendorData } from "./builtin-vendor-data.js";
import { FileCache } from "./file-cache.js";
import type { Part } from "./guest-part.js";
import { guestValues } from "./guest-values.js";
import { findPart, partFiles, type FoundPart, type PartOrigin } from "./part-search.js";
import { TemplateCache } from "./template-cache.js";
import { templateValues } from "./template-values.js";

/** Where an instance's user-data (or another part) comes from. */
export type UserdataOrigin = PartOrigin;

/** A rendered part and where it came from. */
export interface RenderedPart {
  readonly origin: UserdataOrigin;
  readonly body: string;
}

/** A rendering kept for an identity, good while its template text is the same. */
interface Rendered extends RenderedPart {
  readonly source: string | undefined;
}

export class UserdataService {
  private readonly files: FileCache;
  /**
   * The last rendering per identity and part. Identities are immutable (a changed guest is a
   * new object) and the config is frozen, so the output only changes with the template text.
   */
  private readonly rendered = new WeakMap<Identity, Map<Part, Rendered>>();
  private readonly candidates = new WeakMap<Identity, Map<Part, readonly string[]>>();
  private readonly templates = new TemplateCache();

  constructor(
    private readonly config: Config,
    files = new FileCache(),
  ) {
    this.files = files;
  }

  /** Which file (or fallback) would serve this part, without rendering it. Throws TemplateError. */
  async origin(identity: Identity, part: Part = "user-data"): Promise<UserdataOrigin> {
    return (await this.find(identity, part)).origin;
  }

  /** The rendered part, or undefined when the guest has none. Throws TemplateError. */
  async render(identity: Identity, part: Part = "user-data"): Promise<RenderedPart | undefined> {
    const found = await this.find(identity, part);
    if (found.origin.kind === "none") return undefined;
    let byPart = this.rendered.get(identity);
    const last = byPart?.get(part);
    if (last && last.source === found.source && sameOrigin(last.origin, found.origin)) {
      return { origin: found.origin, body: last.body };
    }
    const body =
      found.source === undefined
        ? (this.builtin(identity, part) ?? "")
        : this.templates.get(found.source, fileOf(found.origin)).render(this.values(identity));
    if (byPart === undefined) this.rendered.set(identity, (byPart = new Map()));
    byPart.set(part, { origin: found.origin, source: found.source, body });
    return { origin: found.origin, body };
  }

  close(): void {
    this.files.close();
  }

  /** The values every part's template is rendered with. */
  private values(identity: Identity) {
    const domain = domainMetadataOf(identity.instance);
    return guestValues(this.config, identity, domain, instanceId(this.config, identity));
  }

  /** The last step of each part's search: undefined when the part has no built-in. */
  private builtin(identity: Identity, part: Part): string | undefined {
    if (part === "user-data") {
      return this.config.mdserver.userdata_fallback
        ? builtinUserdata(templateValues(this.config, identity))
        : undefined;
    }
    if (part === "vendor-data") return builtinVendorData(this.config, identity);
    return undefined;
  }

  /** The files to try for an identity's part, worked out once per identity. */
  private candidateFiles(identity: Identity, part: Part): readonly string[] {
    let byPart = this.candidates.get(identity);
    if (byPart === undefined) this.candidates.set(identity, (byPart = new Map()));
    let files = byPart.get(part);
    if (files === undefined) {
      files = partFiles(this.config, identity, part);
      byPart.set(part, files);
    }
    return files;
  }

  private async find(identity: Identity, part: Part): Promise<FoundPart> {
    const found = await findPart(
      this.files,
      this.config,
      identity,
      part,
      this.candidateFiles(identity, part),
    );
    if (found !== undefined) return found;
    const builtin = this.builtin(identity, part) !== undefined;
    return { origin: builtin ? { kind: "builtin" } : { kind: "none" } };
  }
}

function fileOf(origin: UserdataOrigin): string {
  return "file" in origin ? origin.file : "";
}

function sameOrigin(a: UserdataOrigin, b: UserdataOrigin): boolean {
  return a.kind === b.kind && fileOf(a) === fileOf(b);
}
