/**
 * SHA-512 crypt (`$6$salt$hash`), the password hash glibc's crypt(3), cloud-init's `passwd:`
 * and `chpasswd`, and /etc/shadow use, as Ulrich Drepper's specification defines it. Pure.
 */
import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const DEFAULT_ROUNDS = 5000;
const MAX_SALT = 16;

/** The order in which the digest's bytes are encoded, three at a time (from the spec). */
const ORDER: ReadonlyArray<readonly [number, number, number]> = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
];

/** A random salt of 16 characters from crypt's alphabet (each byte's low 6 bits: uniform). */
export function randomSalt(): string {
  return [...randomBytes(MAX_SALT)].map((b) => ALPHABET[b & 63]).join("");
}

/**
 * `$6$<salt>$<hash>` for `password`; `rounds` other than the default is written into the
 * result as `rounds=N$`, as crypt(3) does. The salt is cut to 16 characters, as there.
 */
export function sha512Crypt(password: string, salt: string, rounds = DEFAULT_ROUNDS): string {
  const p = Buffer.from(password, "utf8");
  const s = Buffer.from(salt.slice(0, MAX_SALT), "utf8");
  const b = sha512(p, s, p);
  const a = createHash("sha512").update(p).update(s);
  let i = p.length;
  for (; i > 64; i -= 64) a.update(b);
  a.update(b.subarray(0, i));
  for (let n = p.length; n > 0; n >>= 1) a.update(n & 1 ? b : p);
  let c = a.digest();
  const pBytes = stretch(sha512(...Array<Buffer>(p.length).fill(p)), p.length);
  const sBytes = stretch(sha512(...Array<Buffer>(16 + (c[0] ?? 0)).fill(s)), s.length);
  for (let r = 0; r < rounds; r++) {
    const h = createHash("sha512");
    h.update(r & 1 ? pBytes : c);
    if (r % 3) h.update(sBytes);
    if (r % 7) h.update(pBytes);
    h.update(r & 1 ? c : pBytes);
    c = h.digest();
  }
  const prefix = rounds === DEFAULT_ROUNDS ? "$6$" : `$6$rounds=${rounds}$`;
  return `${prefix}${s.toString("utf8")}$${encode(c)}`;
}

function sha512(...parts: Buffer[]): Buffer {
  const hash = createHash("sha512");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** `digest` repeated to `length` bytes. */
function stretch(digest: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += digest.length)
    digest.copy(out, i, 0, Math.min(digest.length, length - i));
  return out;
}

function encode(digest: Buffer): string {
  let out = "";
  const put = (w: number, n: number) => {
    for (let i = 0; i < n; i++, w >>= 6) out += ALPHABET[w & 63];
  };
  const at = (i: number) => digest[i] ?? 0;
  for (const [x, y, z] of ORDER) put((at(x) << 16) | (at(y) << 8) | at(z), 4);
  put(at(63), 2);
  return out;
}
