/**
 * Judged by cloud-init's own OpenStack code (Debian's cloud-init, /usr/bin/python3):
 * MetadataReader.read_v2() and DataSourceOpenStack.get_data() at two guests' source
 * addresses. Each must get its own uuid, name, keys, user-data (or none), vendor-data and a
 * network config for its own MAC; the EC2 tree beside it is crawled too.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { phoneHomeVendorData } from "../../src/boot-reports/phone-home-vendor-data.js";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS, twoGuestsConfig } from "../helpers/two-guests.js";
import { runDriver } from "../ec2/helpers/cloud-init.js";

const DRIVER = "../../openstack/python/openstack_reader.py";
const ALPHA_USERDATA = "#cloud-config\nhostname: {{hostname}}\n";

interface Read {
  read_v2: {
    metadata: Record<string, unknown>;
    userdata: string;
    vendordata: unknown;
    vendordata2: unknown;
    networkdata: unknown;
    ec2_instance_id: string;
  };
  ok: boolean;
  version: number;
  instance_id: string;
  hostname: string;
  keys: string[];
  userdata: string;
  vendordata: unknown;
  availability_zone: string;
  network_config: unknown;
}

test("cloud-init's OpenStack reader and datasource, as two guests", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig("", "userdata_fallback = no"), {
    files: { "userdata/alpha.yaml": ALPHA_USERDATA },
  });
  const url = `http://127.0.0.1:${server.port}`;
  for (const guest of [ALPHA, BETA]) {
    const out = await runDriver<Read>(DRIVER, { url, source: guest.ip, mac: guest.mac });
    const who = `${guest.name}\n${out.log}`;
    const userdata = guest === ALPHA ? "#cloud-config\nhostname: alpha\n" : "";
    // Every request answered, but beta's user_data: it has none, and 404 says so.
    const failed = out.requests.filter(
      ([, u, status]) => status !== 200 && !u.endsWith("/user_data"),
    );
    assert.deepEqual(failed, [], who);
    const userdataStatus = out.requests.find(([, u]) =>
      u.endsWith("/openstack/2018-08-27/user_data"),
    );
    assert.equal(userdataStatus?.[2], guest === ALPHA ? 200 : 404, who);

    const { metadata } = out.read_v2;
    assert.equal(metadata.uuid, guest.uuid, who);
    assert.equal(metadata["instance-id"], guest.uuid, who);
    assert.equal(metadata.name, guest.name);
    assert.equal(metadata["local-hostname"], guest.name);
    assert.deepEqual(metadata.public_keys, { default: KEYS.default, backup: KEYS.backup });
    assert.deepEqual(metadata.keys, [
      { name: "default", type: "ssh", data: KEYS.default },
      { name: "backup", type: "ssh", data: KEYS.backup },
    ]);
    assert.deepEqual(metadata.meta, {});
    assert.equal(metadata.availability_zone, "local-1a");
    assert.equal(out.read_v2.userdata, userdata, who);
    // The built-in vendor-data (boot reports), as Nova hands vendor-data to cloud-init.
    const vendor = phoneHomeVendorData(`${url}/mdserver/boot-report`);
    assert.deepEqual(out.read_v2.vendordata, { "cloud-init": vendor });
    assert.deepEqual(out.read_v2.vendordata2, {});
    assert.deepEqual(out.read_v2.networkdata, {
      links: [{ id: "nic0", type: "phy", ethernet_mac_address: guest.mac }],
      networks: [{ id: "network0", link: "nic0", type: "ipv4_dhcp" }],
      services: [],
    });
    assert.equal(out.read_v2.ec2_instance_id, guest.instanceId, "the EC2 tree beside it");

    assert.equal(out.ok, true, who);
    assert.equal(out.version, 2);
    assert.equal(out.instance_id, guest.uuid);
    assert.equal(out.hostname, guest.name);
    assert.deepEqual(out.keys.sort(), [KEYS.backup, KEYS.default].sort());
    assert.equal(out.userdata, userdata);
    assert.equal(out.vendordata, vendor, "the datasource takes the cloud-config out of it");
    assert.equal(out.availability_zone, "local-1a");
    assert.deepEqual(out.network_config, {
      version: 1,
      config: [
        {
          type: "physical",
          mac_address: guest.mac,
          name: "eth0",
          subnets: [{ type: "dhcp4" }],
        },
      ],
    });
  }
});
