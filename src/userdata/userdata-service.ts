/**
 * Finds and renders a guest's parts (user-data, vendor-data, network-config, meta-data): the
 * file the search finds (part-search.ts), rendered as a template, or the part's built-in.
 */
import type { Config } from "../config/config.js";
import { instanceId } from "../frontends/ec2/instance-id.js";
import { domainMetadataOf } from "../inventory/domain-metadata.js";
import type { Identity } from "../inventory/instance.js";
import { silentLogger, type Logger } from "../log/logger.js";
import { builtinUserdata } from "./builtin-userdata.js";
import type { Part } from "./guest-part.js";
import { guestValues } from "./guest-values.js";
import { findPart, partFiles, type FoundPart, type PartOrigin } from "./part-search.js";
import { TemplateCache } from "./template-cache.js";
import { TemplateError } from "./template-error.js";
import { templateValues } from "./template-values.js";
import { templateText } from "./userdata-content.js";
import { UserdataFiles } from "./userdata-files.js";
import { checkCloudConfig, checkYamlMapping } from "./yaml-check.js";
import { RECENT_GUESTS, RecentCache } from "../util/recent-cache.js";

/** Where an instance's user-data (or another part) comes from. */
export type UserdataOrigin = PartOrigin;

/**
 * A part as served: rendered template text, or, for user-data only, a file's bytes untouched
 * when they are not text (a gzip file: see userdata-content.ts).
 */
export type PartBody = string | Buffer;

/** A rendered part and where it came from. */
export interface RenderedPart<Body extends PartBody = PartBody> {
  readonly origin: UserdataOrigin;
  readonly body: Body;
}

/** A rendering kept for an identity, good while its file's bytes are the same. */
interface Rendered extends RenderedPart {
  readonly bytes: Buffer | undefined;
}

export class UserdataService {
  private readonly files: UserdataFiles;
  /**
   * The last rendering per identity and part. Identities are immutable (a changed guest is a
   * new object) and the config is frozen, so the output only changes with the file's bytes.
   */
  private readonly rendered = new RecentCache<Identity, Map<Part, Rendered>>(RECENT_GUESTS);
  private readonly candidates = new RecentCache<Identity, Map<Part, readonly string[]>>(
    RECENT_GUESTS,
  );
  private readonly templates = new TemplateCache();

  constructor(
    private readonly config: Config,
    log: Logger = silentLogger(),
    /** The last step of the vendor-data search (the boot reports' phone_home, or none). */
    private readonly builtinVendorData: () => string | undefined = () => undefined,
  ) {
    this.files = new UserdataFiles(config.mdserver, log);
  }

  /**
   * Which file (or fallback) would serve this part, without rendering it. Throws TemplateError
   * and UserdataFileError.
   */
  async origin(identity: Identity, part: Part = "user-data"): Promise<UserdataOrigin> {
    return (await this.find(identity, part)).origin;
  }

  /**
   * The rendered part, or undefined when the guest has none. Throws TemplateError (also for a
   * rendering that claims YAML and is not) and UserdataFileError.
   */
  async render(identity: Identity, part: Part = "user-data"): Promise<RenderedPart | undefined> {
    const found = await this.find(identity, part);
    if (found.origin.kind === "none") return undefined;
    let byPart = this.rendered.get(identity);
    const last = byPart?.get(part);
    if (last && sameBytes(last.bytes, found.bytes) && sameOrigin(last.origin, found.origin)) {
      return { origin: found.origin, body: last.body };
    }
    const body = this.body(identity, part, found);
    if (byPart === undefined) this.rendered.set(identity, (byPart = new Map()));
    byPart.set(part, { origin: found.origin, bytes: found.bytes, body });
    return { origin: found.origin, body };
  }

  /** render() of a part that is always text: every part but user-data. */
  async renderText(
    identity: Identity,
    part: Exclude<Part, "user-data">,
  ): Promise<RenderedPart<string> | undefined> {
    const rendered = await this.render(identity, part);
    if (rendered === undefined || typeof rendered.body === "string") {
      return rendered as RenderedPart<string> | undefined;
    }
    throw new Error(`${part} rendered as bytes`);
  }

  /** The part's built-in, or its file rendered as a template (or served as bytes). */
  private body(identity: Identity, part: Part, found: FoundPart): PartBody {
    const file = fileOf(found.origin);
    if (found.bytes === undefined) {
      const builtin = this.builtin(identity, part) ?? "";
      checkYaml(builtin, `(built-in ${part})`, part);
      return builtin;
    }
    const text = templateText(found.bytes);
    if (text === undefined) {
      if (part === "user-data") return found.bytes;
      // The layouts carry the other parts as text (OpenStack's vendor_data.json is JSON).
      throw new TemplateError(file, 0, 0, `is not UTF-8 text: only user-data may be binary`);
    }
    const rendered = this.templates.get(text, file).render(this.values(identity));
    checkYaml(rendered, file, part);
    return rendered;
  }

  /**
   * Equal while no file a part could come from has changed: what was made from a rendering
   * taken at one version is still right at the same version.
   */
  version(): number {
    return this.files.version();
  }

  close(): void {
    this.files.close();
  }

  /** The values every part's template is rendered with. */
  private values(identity: Identity) {
    const domain = domainMetadataOf(identity.instance);
    return guestValues(this.config, identity, domain, instanceId(this.config, identity));
  }

  /** Whether the part's search ends in a built-in (without rendering it). */
  private hasBuiltin(part: Part): boolean {
    if (part === "user-data") return this.config.mdserver.userdata_fallback;
    return part === "vendor-data" && this.builtinVendorData() !== undefined;
  }

  /** The last step of each part's search: undefined when the part has no built-in. */
  private builtin(identity: Identity, part: Part): string | undefined {
    if (part === "user-data") {
      return this.config.mdserver.userdata_fallback
        ? builtinUserdata(templateValues(this.config, identity))
        : undefined;
    }
    if (part === "vendor-data") return this.builtinVendorData();
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
    return { origin: this.hasBuiltin(part) ? { kind: "builtin" } : { kind: "none" } };
  }
}

function fileOf(origin: UserdataOrigin): string {
  return "file" in origin ? origin.file : "";
}

function sameOrigin(a: UserdataOrigin, b: UserdataOrigin): boolean {
  return a.kind === b.kind && fileOf(a) === fileOf(b);
}

/** Cheap while a file is cached (the same Buffer); a byte comparison after a re-read. */
function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.equals(b));
}

/**
 * What cloud-init would drop with a warning is an error here, for that guest: #cloud-config
 * that is not a YAML mapping, and a network-config that is not one. (The meta-data part is
 * parsed, with the same strictness, where it is used.)
 */
function checkYaml(text: string, file: string, part: Part): void {
  if (part === "network-config") checkYamlMapping(text, file, "network-config");
  else if (part !== "meta-data") checkCloudConfig(text, file);
}
