/**
 * User-data that is not template text (gzip, random bytes) is served byte for byte in every
 * layout (#11 item 5); template text is still rendered.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";

/** user-data paths of the three layouts. */
const PATHS = ["/latest/user-data", "/openstack/latest/user_data", "/nocloud/user-data"];

test("gzip and random-byte user-data are served byte for byte; text is still a template", async (t) => {
  // A gzip of a template: cloud-init unpacks it, so it must arrive as it is on disk.
  const gzip = gzipSync(Buffer.from("#cloud-config\nhostname: {{hostname}}\n"));
  // Random bytes that are certainly not UTF-8 (0xff never occurs in it), with template marks.
  const random = Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    randomBytes(4096),
    Buffer.from("{{x}}"),
  ]);
  const server = await startTestServer(t, twoGuestsConfig());
  const dir = join(server.dir, "userdata");
  await writeFile(join(dir, ALPHA.name), gzip);
  await writeFile(join(dir, `${BETA.name}.yaml`), random);
  for (const path of PATHS) {
    const alpha = await server.request(path, { from: ALPHA.ip });
    assert.equal(alpha.status, 200, path);
    assert.ok(
      alpha.bytes.equals(gzip),
      `${path}: gzip changed: ${alpha.bytes.subarray(0, 8).toString("hex")}`,
    );
    assert.equal(alpha.headers["content-length"], String(gzip.length), path);
    const beta = await server.request(path, { from: BETA.ip });
    assert.equal(beta.status, 200, path);
    assert.ok(beta.bytes.equals(random), `${path}: random bytes changed`);
  }
  const head = await server.request("/latest/user-data", { from: ALPHA.ip, method: "HEAD" });
  assert.equal(head.headers["content-length"], String(gzip.length));

  // The same guest with a text file: rendered as before.
  await writeFile(join(dir, ALPHA.name), "#cloud-config\nhostname: {{hostname}}\n");
  const deadline = Date.now() + 10_000;
  let text = "";
  while (Date.now() < deadline) {
    text = (await server.request("/latest/user-data", { from: ALPHA.ip })).body;
    if (text.startsWith("#cloud-config")) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(text, "#cloud-config\nhostname: alpha\n");
});

test("UTF-8 text outside ASCII is rendered and sent as UTF-8", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("[template-data]\ncity = Zürich\n"), {
    files: { "userdata/alpha": "#cloud-config\n# {{city}} – ✓ {{hostname}}\n" },
  });
  const res = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(res.status, 200);
  assert.equal(res.body, "#cloud-config\n# Zürich – ✓ alpha\n");
  assert.equal(res.headers["content-length"], String(Buffer.byteLength(res.body)));
});
