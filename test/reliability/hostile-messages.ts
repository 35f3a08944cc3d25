/**
 * Malformed HTTP messages an attacker guest might send, made from a seed so a failure can be
 * replayed: broken request lines, bad and oversized headers, bad framing (Content-Length,
 * chunked), request smuggling shapes, binary garbage, other protocols, traversal and
 * percent-encoding tricks, and messages cut short.
 */
import { prng } from "../templates/random-template.js";
import { MAX_WAITING } from "../../src/http/one-at-a-time.js";

const GET = (path: string, extra = ""): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

/** Every kind, each a function of a random source giving the bytes to send. */
const KINDS: ReadonlyArray<(r: () => number) => string | Buffer> = [
  (r) => Buffer.from(Array.from({ length: 1 + Math.floor(r() * 2000) }, () => r() * 256)),
  () => "\r\n\r\n\r\n",
  () => "GET\r\n\r\n",
  () => "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
  () => "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
  () => "GET /\r\n\r\n",
  () => "get / http/1.1\r\n\r\n",
  () => "BREW /coffee HTTP/1.1\r\nHost: x\r\n\r\n",
  () => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
  () => "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
  () => "CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: x\r\n\r\n",
  () => GET("/latest/meta-data/", "Upgrade: websocket\r\nConnection: Upgrade\r\n"),
  () => GET("http://169.254.169.254/latest/user-data"),
  () => GET("*"),
  (r) => GET(`/${"a/".repeat(1 + Math.floor(r() * 5000))}`),
  (r) => GET(`/latest/meta-data/${"%".repeat(1 + Math.floor(r() * 50))}`),
  () => GET("/%zz/%E0%A4%A/%00/%2e%2e/%2e%2e/etc/passwd"),
  () => GET("/../../../../etc/passwd"),
  () => GET("/latest/../../userdata/beta"),
  () => GET("/latest/meta-data/\x00"),
  () => GET("/latest/meta-data/\u00e9\u4e2d"),
  () => GET("/latest/meta-data/", "Host: a\r\nHost: b\r\n"),
  () => GET("/", "X: \x00\x01\x7f\r\n"),
  () => GET("/", "Bad Header: 1\r\n"),
  () => GET("/", ": no-name\r\n"),
  () => GET("/", " folded\r\n continued\r\n"),
  (r) => GET("/", `X-Big: ${"x".repeat(16_000 + Math.floor(r() * 70_000))}\r\n`),
  (r) => GET("/", Array.from({ length: 3000 }, (_, i) => `H${i}: ${r()}\r\n`).join("")),
  () => "POST /latest/user-data HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
  () => "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
  () => "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
  () =>
    "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /latest/user-data HTTP/1.1\r\n\r\n",
  () => "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
  () => "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
  (r) =>
    `PUT /latest/api/token HTTP/1.1\r\nHost: x\r\nX-aws-ec2-metadata-token-ttl-seconds: ${r()}\r\n\r\n`,
  () => GET("/latest/meta-data/", "X-aws-ec2-metadata-token: AAAA.BBBB\r\n"),
  () => GET("/latest/meta-data/", "X-Forwarded-For: 127.0.0.12\r\n"),
  () => "GET /latest/meta-data/ HTTP/1.1\nHost: x\n\n",
  () => "GET /latest/meta-data/ HTTP/1.1\rHost: x\r\r",
  (r) => GET("/latest/meta-data/").slice(0, Math.floor(r() * 30)),
  // As long a pipeline as a connection may hold, then garbage (a longer one has the client
  // refused for a while: pipelining-penalty.test.ts).
  () => GET("/latest/user-data").repeat(MAX_WAITING) + "GARBAGE\r\n\r\n",
  (r) => `DELETE /openstack/latest/${r().toString(36)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  () => GET("/nocloud/;;;/meta-data"),
];

/** The `index`-th hostile message of the run seeded `seed`. */
export function hostileMessage(seed: number, index: number): string | Buffer {
  const r = prng(seed * 100_003 + index);
  const kind = KINDS[index % KINDS.length];
  if (kind === undefined) throw new Error("no kinds");
  return kind(r);
}
