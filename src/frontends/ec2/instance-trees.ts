/**
 * The whole EC2 tree of one identity (every served version, each with dynamic/, meta-data/
 * and user-data), built on first use and kept while the inventory holds that identity and its
 * meta-data part says the same: sources publish a new Identity object when anything about a
 * guest changes, and the meta-data part is rendered again whenever a file it could come from
 * may have changed (GuestDocuments.meta), so a cached tree can never be stale; only the
 * guests that asked last keep theirs (RecentCache), so memory does not grow with every guest
 * that ever booted.
 */
import type { Config } from "../../config/config.js";
import type { MaybePromise } from "../../http/request.js";
import type { Identity } from "../../inventory/instance.js";
import type { GuestDocuments, GuestMeta } from "../guest-documents.js";
import { computed, dir, leaf, type Directory, type Leaf } from "../tree.js";
import { RECENT_GUESTS, RecentCache } from "../../util/recent-cache.js";
import { identityDocument } from "./identity-document.js";
import { metaDataTree } from "./meta-data.js";
import { servedEc2Versions } from "../ec2-versions.js";
import { guestPart, userdataReply } from "../userdata-reply.js";

/** Bounds the memory of first-seen times when guests come and go for a long time. */
const FIRST_SEEN_LIMIT = 100_000;

/** Builds and caches identities' trees. */
export class InstanceTrees {
  private readonly versions: readonly string[];
  private readonly trees = new RecentCache<Identity, { meta: GuestMeta; tree: Directory }>(
    RECENT_GUESTS,
  );
  private readonly firstSeen = new Map<string, Date>();

  constructor(
    private readonly config: Config,
    private readonly documents: GuestDocuments,
  ) {
    this.versions = servedEc2Versions(config);
  }

  /**
   * The root (the versions directory) of `identity`'s tree: at once while its meta-data is
   * known to be current (every request but the first and those after a file changed). A
   * meta-data part that does not render or parse fails the whole tree with a 500 naming its
   * file: zone, type and tags are in the identity document as well as in meta-data/, and
   * serving them wrong is worse.
   */
  treeFor(identity: Identity): MaybePromise<Directory> {
    const meta = this.documents.meta(identity);
    if (!(meta instanceof Promise)) return this.treeWith(identity, meta);
    return guestPart(() => meta, "meta-data").then((m) => this.treeWith(identity, m));
  }

  private treeWith(identity: Identity, meta: GuestMeta): Directory {
    const last = this.trees.get(identity);
    if (last !== undefined && last.meta === meta) return last.tree;
    const tree = this.build(identity, meta);
    this.trees.set(identity, { meta, tree });
    return tree;
  }

  private build(identity: Identity, meta: GuestMeta): Directory {
    const pending = this.pendingTime(identity.instance.uuid);
    const document = identityDocument(this.config, identity, meta, pending);
    // Every version shares one subtree: the content does not differ between them here.
    const version = dir([
      ["dynamic", dir([["instance-identity", dir([["document", leaf(document)]])]])],
      ["meta-data", metaDataTree(this.config, identity, meta)],
      [
        "user-data",
        this.userdataLeaf(identity),
        // Listed only when there is user-data to fetch, as on EC2 (a 404 there means "none"),
        // and it renders: a listing never advertises what does not answer.
        {
          listedWhen: () =>
            this.documents.userData(identity).then(
              (r) => r !== undefined,
              () => false,
            ),
        },
      ],
    ]);
    return dir(this.versions.map((v) => [v, version] as const));
  }

  private userdataLeaf(identity: Identity): Leaf {
    return computed(() => userdataReply(() => this.documents.userData(identity)));
  }

  /**
   * When this server first answered for the instance: the identity document's pendingTime
   * (EC2's launch time), kept per UUID so it does not move when the guest's address does.
   */
  private pendingTime(uuid: string): Date {
    let seen = this.firstSeen.get(uuid);
    if (seen === undefined) {
      if (this.firstSeen.size >= FIRST_SEEN_LIMIT) this.firstSeen.clear();
      seen = new Date();
      this.firstSeen.set(uuid, seen);
    }
    return seen;
  }
}
