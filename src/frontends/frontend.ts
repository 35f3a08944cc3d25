/** What every metadata layout (EC2, service, later OpenStack and NoCloud) implements. */
import type { Reply } from "../http/reply.js";
import type { MaybePromise, Request } from "../http/request.js";
import type { Identity } from "../inventory/instance.js";

/** A request from a client that has been identified, for a well-formed path. */
export interface MetadataRequest extends Request {
  readonly segments: readonly string[];
  readonly identity: Identity;
}

export interface Frontend {
  /** Methods it takes besides GET, HEAD and PUT (which every frontend is given). */
  readonly methods?: readonly string[];
  /** True when this frontend answers the path (checked in order; the EC2 one takes the rest). */
  matches(segments: readonly string[]): boolean;
  /** The answer, synchronously when no I/O is needed (see Handler). */
  handle(request: MetadataRequest): MaybePromise<Reply>;
}
