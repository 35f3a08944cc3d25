/**
 * What the libvirt source publishes, and how often, with libvirt's test driver and lease files:
 * a lease re-read that finds nothing new publishes nothing, and a lease that changes renews
 * only its own guest's objects in the inventory (the frontends cache by them), without telling
 * the inventory's listeners (nothing they see changed).
 */
import assert from "node:assert/strict";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { Inventory } from "../../src/inventory/inventory.js";
import { LibvirtSource } from "../../src/inventory/libvirt/libvirt-source.js";
import { silentLogger } from "../../src/log/logger.js";
import { eventually } from "../helpers/eventually.js";
import { ALPHA, FIXTURE_URI, ZETA } from "../helpers/libvirt-fixture.js";
import { tempDir } from "../helpers/test-server.js";

const ZETA_IP = "127.0.0.26";
const seconds = (n: number) => Math.floor(Date.now() / 1000) + n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("lease re-reads that find nothing new publish nothing; a renewed lease renews only its guest", async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, "mds.leases");
  const lease = (end: number) => `${end} ${ZETA.mac} ${ZETA_IP} zeta *\n`;
  await writeFile(file, lease(seconds(3600)));
  const inventory = new Inventory();
  let publications = 0;
  const source = new LibvirtSource({
    uri: FIXTURE_URI,
    virsh: "virsh",
    timeoutMs: 5000,
    networks: ["mds"],
    baseDir: dir,
    refreshIntervalMs: 0,
    leaseRefreshIntervalMs: 50,
    watch: true,
    log: silentLogger(),
  });
  t.after(() => source.stop());
  let addresses: string[] = [];
  await source.start({
    publish: (id, identities) => {
      publications++;
      addresses = [...identities].map((i) => i.address);
      inventory.publish(id, identities);
    },
  });
  const served = () => new Map(addresses.map((a) => [a, inventory.lookup(a)] as const));
  let told = 0;
  inventory.onChange(() => told++);
  assert.equal(publications, 1);
  const first = served();
  assert.equal(first.get(ZETA_IP)?.instance.name, ZETA.name);

  // About ten lease re-reads, each the same as the last.
  await sleep(500);
  assert.equal(publications, 1, "nothing new, nothing published");

  // zeta's lease renewed, the way libvirt's helper writes the file.
  const end = seconds(7200);
  await writeFile(`${file}.new`, lease(end));
  await rename(`${file}.new`, file);
  await eventually(
    "the renewal to be published",
    () => inventory.lookup(ZETA_IP)?.expiresAt === end * 1000,
  );
  const last = served();
  assert.notEqual(last.get(ZETA_IP), first.get(ZETA_IP), "zeta's Identity is new");
  assert.equal(last.get(ZETA_IP)?.instance, first.get(ZETA_IP)?.instance, "its Instance is not");
  assert.equal(last.get(ALPHA.ip), first.get(ALPHA.ip), "alpha's Identity is the same object");
  for (const [address, identity] of first)
    if (address !== ZETA_IP) assert.equal(last.get(address), identity, address);
  assert.equal(told, 0, "a renewal changes no instance: listeners are not told");
});
