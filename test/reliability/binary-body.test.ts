/**
 * Issue #11 item 5, the HTTP side: a reply whose body is bytes (gzip user-data, random bytes)
 * is sent byte for byte with the right Content-Length.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { createHttpServer, listen } from "../../src/http/http-server.js";
import { silentLogger } from "../../src/log/logger.js";

function getBytes(port: number, path: string): Promise<{ length: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ length: res.headers["content-length"] ?? "", body: Buffer.concat(chunks) }),
      );
    })
      .on("error", reject)
      .end();
  });
}

test("byte bodies are sent as they are", async (t) => {
  const bodies: Record<string, Uint8Array> = {
    "/gzip": gzipSync("#cloud-config\nhostname: ü\n"),
    "/random": randomBytes(70_000),
  };
  const server = createHttpServer(
    (req) => ({ status: 200, body: bodies[req.path] ?? new Uint8Array() }),
    silentLogger(),
  );
  const { port } = (await listen(server, "127.0.0.1", 0)) as AddressInfo;
  t.after(() => new Promise((resolve) => server.close(resolve)));
  for (const [path, bytes] of Object.entries(bodies)) {
    const got = await getBytes(port, path);
    assert.equal(got.length, String(bytes.byteLength));
    assert.ok(got.body.equals(bytes), `${path}: the same bytes`);
  }
});
