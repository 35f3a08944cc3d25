/**
 * The /openstack surface as any client sees it: listings that name only what answers, each
 * version with the documents Nova gives it, JSON documents, 404 for strangers and for what a
 * guest does not have.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, STRANGER } from "../helpers/two-guests.js";
import { ec2GuestsConfig, GAMMA } from "../ec2/helpers/ec2-guests.js";

const VERSIONS = [
  "2012-08-10",
  "2013-04-04",
  "2013-10-17",
  "2015-10-15",
  "2016-06-30",
  "2016-10-06",
  "2017-02-22",
  "2018-08-27",
  "latest",
];

test("listings name only what answers, per version and per guest", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(undefined, "userdata_fallback = no"), {
    files: { "userdata/alpha.yaml": "#cloud-config\n" },
  });
  const get = async (path: string, from: string) => {
    const res = await server.request(path, { from });
    return { status: res.status, body: res.body, type: res.headers["content-type"] };
  };
  assert.deepEqual(await get("/openstack", ALPHA.ip), {
    status: 200,
    body: VERSIONS.join("\n"),
    type: "text/plain",
  });
  assert.equal((await get("/openstack/", BETA.ip)).body, VERSIONS.join("\n"));

  const listings: Array<[string, string, string[]]> = [
    [
      ALPHA.ip,
      "latest",
      ["meta_data.json", "network_data.json", "user_data", "vendor_data.json", "vendor_data2.json"],
    ],
    [
      BETA.ip,
      "latest",
      ["meta_data.json", "network_data.json", "vendor_data.json", "vendor_data2.json"],
    ],
    // gamma has no MAC: no link to describe, and an empty network_data.json would unconfigure it.
    [GAMMA.ip, "2018-08-27", ["meta_data.json", "vendor_data.json", "vendor_data2.json"]],
    [ALPHA.ip, "2012-08-10", ["meta_data.json", "user_data"]],
    [ALPHA.ip, "2013-10-17", ["meta_data.json", "user_data", "vendor_data.json"]],
    [
      ALPHA.ip,
      "2015-10-15",
      ["meta_data.json", "network_data.json", "user_data", "vendor_data.json"],
    ],
  ];
  for (const [from, version, names] of listings) {
    const listing = await get(`/openstack/${version}/`, from);
    assert.equal(listing.body, names.join("\n"), `${from} ${version}`);
    for (const name of names) {
      const res = await get(`/openstack/${version}/${name}`, from);
      assert.equal(res.status, 200, `${from} ${version}/${name}`);
      if (name.endsWith(".json")) {
        assert.equal(res.type, "application/json");
        JSON.parse(res.body);
      }
    }
  }
  const absent: Array<[string, string]> = [
    [BETA.ip, "/openstack/latest/user_data"],
    [GAMMA.ip, "/openstack/latest/network_data.json"],
    [ALPHA.ip, "/openstack/2012-08-10/vendor_data.json"],
    [ALPHA.ip, "/openstack/2014-01-01/meta_data.json"],
    [ALPHA.ip, "/openstack/latest/password"],
    [STRANGER, "/openstack"],
    [STRANGER, "/openstack/latest/meta_data.json"],
  ];
  for (const [from, path] of absent)
    assert.equal((await get(path, from)).status, 404, `${from} ${path}`);
  assert.equal(
    (await server.request("/openstack/latest/meta_data.json", { from: ALPHA.ip, method: "PUT" }))
      .status,
    405,
  );
  const alphaUserdata = await get("/openstack/latest/user_data", ALPHA.ip);
  assert.deepEqual(alphaUserdata, {
    status: 200,
    body: "#cloud-config\n",
    type: "application/octet-stream",
  });
  // The EC2 tree is still there beside it.
  assert.equal((await get("/latest/meta-data/instance-id", ALPHA.ip)).body, ALPHA.instanceId);
});

test("meta_data.json: the domain UUID, the name and the keys; a broken template is the guest's 500", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/beta.yaml": "#cloud-config\nx: {{nosuchvalue}}\n" },
  });
  const alpha = JSON.parse(
    (await server.request("/openstack/latest/meta_data.json", { from: ALPHA.ip })).body,
  );
  assert.equal(alpha.uuid, ALPHA.uuid);
  assert.equal(alpha.name, "alpha");
  assert.equal(alpha.hostname, "alpha");
  assert.equal(alpha.launch_index, 0);
  assert.equal(alpha.availability_zone, "eu-test-1a");
  assert.deepEqual(alpha.meta, {});
  const beta = await server.request("/openstack/latest/user_data", { from: BETA.ip });
  assert.equal(beta.status, 500);
  assert.match(beta.body, /user-data template error: beta\.yaml/);
  const listing = await server.request("/openstack/latest/", { from: BETA.ip });
  assert.doesNotMatch(listing.body, /user_data/, "a failing user_data is not listed");
});
