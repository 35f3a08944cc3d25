/** The pool of virsh sessions, for real, against libvirt's test driver. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { VirshPool } from "../../src/inventory/libvirt/virsh-pool.js";
import { ALPHA, BETA, FIXTURE_URI } from "../helpers/libvirt-fixture.js";

test("an urgent command overtakes the thousands queued before it", async (t) => {
  const pool = new VirshPool({ virsh: "virsh", uri: FIXTURE_URI, timeoutMs: 30_000 });
  t.after(() => pool.close());
  let answered = 0;
  const bulk = Array.from({ length: 3000 }, () =>
    pool.run(`domuuid ${ALPHA.name}`).then((reply) => {
      answered++;
      return reply;
    }),
  );
  const urgent = await pool.run(`domuuid ${BETA.name}`, true);
  const before = answered;
  assert.equal(urgent.output.trim(), BETA.uuid);
  // Behind at most the commands each session had in flight, not the whole queue.
  assert.ok(before < 100, `answered after ${before} of the bulk commands`);
  const replies = await Promise.all(bulk);
  assert.ok(replies.every((r) => r.output.trim() === ALPHA.uuid));
});
