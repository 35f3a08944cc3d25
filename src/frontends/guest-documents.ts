/**
 * The per-guest documents every layout serves, from one place: user-data, vendor-data,
 * network-config and extra meta-data, each found by the part search of the userdata service
 * (files in userdata_dir, the domain's <metadata>, defaults, built-ins); tags from the
 * meta-data part and the domain's <metadata>; the interfaces to configure.
 */
import type { Config } from "../config/config.js";
import { domainMetadataOf } from "../inventory/domain-metadata.js";
import type { MaybePromise } from "../http/request.js";
import type { Identity } from "../inventory/instance.js";
import {
  NO_EXTRA_META_DATA,
  parseExtraMetaData,
  type ExtraMetaData,
} from "../userdata/extra-meta-data.js";
import type { RenderedPart, UserdataService } from "../userdata/userdata-service.js";
import { availabilityZone } from "./ec2/ec2-values.js";
import { RECENT_GUESTS, RecentCache } from "../util/recent-cache.js";
import { networkConfigYaml } from "./nocloud/nocloud-documents.js";

/** user-data as the userdata service renders it (its body is passed on untouched). */
export type RenderedUserdata = RenderedPart;

/** One network interface of the guest as the layouts describe it. */
export interface GuestLink {
  /** Lower case, colon separated: cloud-init finds the interface by it. */
  readonly mac: string;
  /** How it gets its IPv4 address; only DHCP for now (see the README's "network data"). */
  readonly ipv4: "dhcp";
}

/** The guest's meta-data beyond who it is: the meta-data part with the domain's tags. */
export interface GuestMeta extends ExtraMetaData {
  /** The availability zone: the meta-data part's, else the configured one. */
  readonly zone: string;
  /** The instance type: the meta-data part's, else `[ec2] instance_type`. */
  readonly type: string;
}

/** Where the layouts read a guest's documents from. Every method may throw TemplateError. */
export interface GuestDocuments {
  /** Rendered user-data; undefined when the guest has none. */
  userData(identity: Identity): Promise<RenderedPart | undefined>;
  /** vendor-data (cloud-config or a script); undefined when there is none. */
  vendorData(identity: Identity): Promise<RenderedPart<string> | undefined>;
  /** network-config (cloud-init v1 or v2): the guest's file, else DHCP on every link. */
  networkConfig(identity: Identity): Promise<RenderedPart<string> | undefined>;
  /**
   * Tags, zone, instance type and any other meta-data keys: at once (the same object as last
   * time) while no file it could come from has changed, as every EC2 request needs it.
   */
  meta(identity: Identity): MaybePromise<GuestMeta>;
  /** The interfaces cloud-init is to configure, in the domain's order. */
  links(identity: Identity): readonly GuestLink[];
}

/** The documents for `config`, rendered by `userdata`. */
export function createGuestDocuments(config: Config, userdata: UserdataService): GuestDocuments {
  const zone = availabilityZone(config);
  // The parsed meta-data per identity, kept while its rendered text is the same: the EC2
  // frontend rebuilds a guest's tree only when this object changes. `version`: the files'
  // version it was rendered at; while it is current, nothing needs reading or comparing.
  const metas = new RecentCache<
    Identity,
    { body: string | undefined; meta: GuestMeta; version: number }
  >(RECENT_GUESTS);
  const links = (identity: Identity): GuestLink[] =>
    identity.instance.interfaces.flatMap((iface) =>
      iface.mac === undefined ? [] : [{ mac: iface.mac, ipv4: "dhcp" as const }],
    );
  return {
    userData: (identity) => userdata.render(identity),
    vendorData: (identity) => userdata.renderText(identity, "vendor-data"),
    networkConfig: async (identity) => {
      const own = await userdata.renderText(identity, "network-config");
      if (own !== undefined) return own;
      const body = networkConfigYaml(links(identity));
      return body === undefined ? undefined : { origin: { kind: "builtin" }, body };
    },
    meta: (identity) => {
      const last = metas.get(identity);
      const version = userdata.version();
      if (last?.version === version) return last.meta;
      return renderMeta(identity, version);
    },
    links,
  };

  /** The meta-data part rendered and parsed; `version`: the files' version before reading. */
  async function renderMeta(identity: Identity, version: number): Promise<GuestMeta> {
    const rendered = await userdata.renderText(identity, "meta-data");
    const last = metas.get(identity);
    if (last !== undefined && last.body === rendered?.body) {
      metas.set(identity, { ...last, version });
      return last.meta;
    }
    const extra =
      rendered === undefined
        ? NO_EXTRA_META_DATA
        : parseExtraMetaData(rendered.body, "file" in rendered.origin ? rendered.origin.file : "");
    const meta: GuestMeta = {
      ...extra,
      // The domain's own tags are the more specific.
      tags: { ...extra.tags, ...domainMetadataOf(identity.instance).tags },
      zone: extra.availabilityZone ?? zone,
      type: extra.instanceType ?? config.ec2.instance_type,
    };
    metas.set(identity, { body: rendered?.body, meta, version });
    return meta;
  }
}
