/**
 * IMDSv2 session tokens without shared state: a token is its expiry plus an HMAC, under a key
 * made when the process starts, of that expiry, the client address and the instance UUID.
 * So a token is only good for the guest (and address) it was issued to, and none survives a
 * restart of the server (clients then ask for a new one, as after expiry).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Identity } from "../../inventory/instance.js";

/** The TTL bounds AWS enforces, in seconds. */
export const MIN_TTL = 1;
export const MAX_TTL = 21600;

export class SessionTokens {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  /** A token for `identity`, valid for `ttlSeconds`. */
  issue(identity: Identity, ttlSeconds: number): string {
    const expiry = Math.floor(this.now() / 1000) + ttlSeconds;
    return `${expiry.toString(36)}.${this.sign(identity, expiry).toString("base64url")}`;
  }

  /** True when `token` was issued to this identity and has not expired. */
  verify(identity: Identity, token: string): boolean {
    const dot = token.indexOf(".");
    if (dot <= 0) return false;
    const expiry = Number.parseInt(token.slice(0, dot), 36);
    if (!Number.isSafeInteger(expiry) || expiry <= this.now() / 1000) return false;
    const given = Buffer.from(token.slice(dot + 1), "base64url");
    const expected = this.sign(identity, expiry);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(identity: Identity, expiry: number): Buffer {
    return createHmac("sha256", this.key)
      .update(`${expiry}\0${identity.address}\0${identity.instance.uuid}`)
      .digest();
  }
}
