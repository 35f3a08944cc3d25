/**
 * instance-id is the guest's for life: the same after its address changes and after the server
 * (or host) restarts, because it comes from the domain UUID. instance_id = ip keeps the
 * original's i-<address> for those who depend on it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA } from "../helpers/two-guests.js";
import { ec2GuestsConfig, fixedSource } from "./helpers/ec2-guests.js";

const PATH = "/latest/meta-data/instance-id";

test("the same UUID gives the same instance-id at another address and after a restart", async (t) => {
  const guest = (ip: string) => ({
    name: "moving",
    uuid: "0d1c2b3a-4959-4877-9695-a4b3c2d1e0f9",
    source: "test",
    interfaces: [{ mac: "52:54:00:aa:bb:cc", addresses: [ip] }],
  });
  const answers: string[] = [];
  for (const ip of ["127.0.0.41", "127.0.0.42"]) {
    // A fresh server each time: as after a host reboot, with the guest on a new lease.
    const server = await startTestServer(t, ec2GuestsConfig(), {
      sources: [fixedSource([guest(ip)])],
    });
    const res = await server.request(PATH, { from: ip });
    assert.equal(res.status, 200);
    answers.push(res.body);
    const doc = await server.request("/latest/dynamic/instance-identity/document", { from: ip });
    assert.equal((JSON.parse(doc.body) as { instanceId: string }).instanceId, res.body);
    await server.server.close();
  }
  assert.deepEqual(answers, ["i-0d1c2b3a495948779", "i-0d1c2b3a495948779"]);
});

test("a static instance without a uuid keeps one derived from its name across restarts", async (t) => {
  const config = ec2GuestsConfig().replace(/uuid = 1111[^\n]*\n/, "");
  const ids: string[] = [];
  for (let i = 0; i < 2; i++) {
    const server = await startTestServer(t, config);
    ids.push((await server.request(PATH, { from: ALPHA.ip })).body);
    await server.server.close();
  }
  assert.match(ids[0] ?? "", /^i-[0-9a-f]{17}$/);
  assert.notEqual(ids[0], ALPHA.instanceId);
  assert.equal(ids[1], ids[0]);
});

test("instance_id = ip: the original's i-<address>, in meta-data and the identity document", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig({ instance_id: "ip" }));
  await assert.doesNotReject(async () => {
    const res = await server.request(PATH, { from: ALPHA.ip });
    assert.equal(res.body, `i-${ALPHA.ip}`);
    const doc = await server.request("/latest/dynamic/instance-identity/document", {
      from: ALPHA.ip,
    });
    assert.equal((JSON.parse(doc.body) as { instanceId: string }).instanceId, `i-${ALPHA.ip}`);
  });
  await assert.rejects(
    startTestServer(t, ec2GuestsConfig({ instance_id: "mac" })),
    /ec2\.instance_id: "mac" is not one of uuid, ip/,
  );
});
