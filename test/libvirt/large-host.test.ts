/**
 * The libvirt source on a large host (thousands of domains of libvirt's test driver): an
 * unknown client's quick look does not wait behind a full load.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { LibvirtSource } from "../../src/inventory/libvirt/libvirt-source.js";
import { silentLogger } from "../../src/log/logger.js";
import { writeGeneratedNode } from "../helpers/generated-node.js";
import { tempDir } from "../helpers/test-server.js";

const DOMAINS = 2000;

test("while a full load runs, an unknown client's look waits only for the networks", async (t) => {
  const dir = await tempDir(t);
  const uri = await writeGeneratedNode(dir, DOMAINS);
  // Full loads back to back: each asks for the next as soon as it has begun.
  const source = new LibvirtSource({
    uri,
    virsh: "virsh",
    timeoutMs: 60_000,
    networks: ["mds"],
    baseDir: dir,
    refreshIntervalMs: 10,
    watch: true,
    log: silentLogger(),
  });
  t.after(() => source.stop());
  const started = performance.now();
  await source.start({ publish: () => {} });
  const load = performance.now() - started;
  const looks: number[] = [];
  for (let i = 0; i < 10; i++) {
    const asked = performance.now();
    await source.refresh();
    looks.push(performance.now() - asked);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  looks.sort((a, b) => a - b);
  const median = looks[5]!;
  assert.ok(
    median < load / 4,
    `median look ${Math.round(median)} ms, a full load ${Math.round(load)} ms`,
  );
});
