/**
 * IMDSv2 session tokens without shared state: a token is its expiry plus an HMAC, under a key
 * made when the process starts, of that expiry, the client address and the instance UUID.
 * So a token is only good for the guest (and address) it was issued to, and none survives a
 * restart of the server (clients then ask for a new one, as after expiry).
 *
 * A guest sends its one token with each of a boot's ~30 requests, and the HMAC was a tenth of
 * the server's work in a boot storm (bench/boot-storm): a token found good is remembered with
 * the identity it was good for, so the next requests only compare. A changed guest is a new
 * Identity object, checked afresh; bad tokens are never remembered.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Identity } from "../../inventory/instance.js";

/** The TTL bounds AWS enforces, in seconds. */
export const MIN_TTL = 1;
export const MAX_TTL = 21600;

/** Expiry in base 36 (ms since the epoch), a dot, then the HMAC in base64url. */
const TOKEN = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;

/** Good tokens remembered at most (a boot storm's worth); past it, all are forgotten. */
const REMEMBERED = 10_000;

/** Issues and checks session tokens with a key of its own. */
export class SessionTokens {
  private readonly key = randomBytes(32);
  /** Tokens found good: the identity they are good for, and their expiry. */
  private readonly good = new Map<string, { identity: Identity; expiry: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A token for `identity`, valid for `ttlSeconds` from now (to the millisecond). */
  issue(identity: Identity, ttlSeconds: number): string {
    const expiry = this.now() + ttlSeconds * 1000;
    return `${expiry.toString(36)}.${this.sign(identity, expiry).toString("base64url")}`;
  }

  /** True when `token` was issued to this identity and has not expired. */
  verify(identity: Identity, token: string): boolean {
    const known = this.good.get(token);
    if (known?.identity === identity) return known.expiry > this.now();
    const parts = TOKEN.exec(token);
    if (!parts) return false;
    const expiry = Number.parseInt(parts[1] ?? "", 36);
    if (!Number.isSafeInteger(expiry) || expiry <= this.now()) return false;
    const given = Buffer.from(parts[2] ?? "", "base64url");
    const expected = this.sign(identity, expiry);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    if (this.good.size >= REMEMBERED) this.good.clear();
    this.good.set(token, { identity, expiry });
    return true;
  }

  private sign(identity: Identity, expiry: number): Buffer {
    return createHmac("sha256", this.key)
      .update(`${expiry}\0${identity.address}\0${identity.instance.uuid}`)
      .digest();
  }
}
