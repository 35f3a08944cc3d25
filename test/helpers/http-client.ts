/** A minimal HTTP client for tests that can pose as a guest by choosing its source address. */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";

export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body as received, byte for byte. */
  readonly bytes: Buffer;
}

export interface TestRequest {
  readonly port: number;
  /** Server address (default 127.0.0.1). */
  readonly host?: string;
  /** Source address to connect from: the guest being posed as (default 127.0.0.1). */
  readonly from?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  /** Sent as-is (no normalisation), so tests can send doubled slashes and traversal attempts. */
  readonly path: string;
}

/** Sends one request on a fresh connection; resolves with status, headers and text body. */
export function send(req: TestRequest): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: req.host ?? "127.0.0.1",
        port: req.port,
        localAddress: req.from ?? "127.0.0.1",
        method: req.method ?? "GET",
        path: req.path,
        headers: req.headers,
        agent: false,
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: bytes.toString("utf8"),
            bytes,
          });
        });
        res.on("error", reject);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`request ${req.path} timed out`)));
    outgoing.on("error", reject);
    outgoing.end();
  });
}
