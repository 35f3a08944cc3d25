/**
 * A listing never advertises an entry that does not answer: cloud-init's crawl comes back
 * empty when a single listed entry fails. Walks every listing from / for several guests and
 * configurations and checks that every listed entry answers 200, and nothing else is seen.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA } from "../helpers/two-guests.js";
import {
  DELTA,
  DELTA_INSTANCE,
  GAMMA,
  ec2GuestsConfig,
  fixedSource,
} from "./helpers/ec2-guests.js";
import { walk, type Visit } from "./helpers/walk.js";

function assertAllAnswer(visits: readonly Visit[], who: string): void {
  const failed = visits.filter((v) => v.status !== 200);
  assert.deepEqual(failed, [], `${who}: listed entries that do not answer`);
  // Each listing has lines and no empty line (an empty line would be a "" entry to a crawler).
  for (const v of visits.filter((v) => v.path.endsWith("/"))) {
    assert.ok(v.body !== "" && !v.body.split("\n").includes(""), `${who}: listing ${v.path}`);
  }
}

test("every listed entry answers, for every guest, in every version", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/alpha": "#cloud-config\n" },
  });
  for (const guest of [ALPHA.ip, BETA.ip, GAMMA.ip]) {
    const visits = await walk(server, guest);
    assertAllAnswer(visits, guest);
    const paths = new Set(visits.map((v) => v.path));
    // The walk really went everywhere: 5 versions of the deepest leaves and the document.
    for (const version of ["2009-04-04", "2021-03-23", "latest"]) {
      assert.ok(
        paths.has(`/${version}/meta-data/public-keys/1/openssh-key`),
        `${guest} ${version} keys`,
      );
      assert.ok(
        paths.has(`/${version}/dynamic/instance-identity/document`),
        `${guest} ${version} document`,
      );
      assert.ok(paths.has(`/${version}/user-data`), `${guest} ${version} user-data`);
    }
    assert.ok(visits.length > 100, `${guest}: only ${visits.length} paths walked`);
  }
});

test("a guest with two NICs: every listed entry answers", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    sources: [fixedSource([DELTA_INSTANCE])],
  });
  const visits = await walk(server, DELTA.ip, "/latest/");
  assertAllAnswer(visits, DELTA.name);
  assert.ok(visits.some((v) => v.path.endsWith(`/macs/${DELTA.secondMac}/local-ipv4s`)));
});

test("with userdata_fallback = no, user-data is neither listed nor served for a guest without a file", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig({}, "userdata_fallback = no"), {
    files: { "userdata/alpha.yaml": "#cloud-config\n" },
  });
  const version = await server.request("/latest/", { from: BETA.ip });
  assert.equal(version.body, "dynamic/\nmeta-data/");
  const userdata = await server.request("/latest/user-data", { from: BETA.ip });
  assert.equal(userdata.status, 404);
  assertAllAnswer(await walk(server, BETA.ip), BETA.name);
  // alpha has a file: listed and served.
  assert.equal(
    (await server.request("/latest/", { from: ALPHA.ip })).body,
    "dynamic/\nmeta-data/\nuser-data",
  );
  assertAllAnswer(await walk(server, ALPHA.ip), ALPHA.name);
});

test("the walk with an IMDSv2 token sees the same tree as without", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig());
  const put = await server.request("/latest/api/token", {
    from: ALPHA.ip,
    method: "PUT",
    headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" },
  });
  assert.equal(put.status, 200);
  const withToken = await walk(server, ALPHA.ip, "/latest/", {
    "X-aws-ec2-metadata-token": put.body,
  });
  const without = await walk(server, ALPHA.ip, "/latest/");
  assertAllAnswer(withToken, ALPHA.name);
  assert.deepEqual(withToken, without);
});
