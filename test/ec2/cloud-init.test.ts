/**
 * Judged by cloud-init's own code (Debian's cloud-init, run by /usr/bin/python3): the Ec2
 * helper crawl for two guests at distinct source addresses, and DataSourceEc2.get_data() as on
 * another platform (IMDSv1, dated-version probing) and as on AWS (token dance, identity
 * document). One failing listed entry would make the crawl come back empty; a missing
 * document on AWS would cost retries of a second each: both would fail here.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS } from "../helpers/two-guests.js";
import { EC2_VALUES, ec2GuestsConfig } from "./helpers/ec2-guests.js";
import { runDriver, type DriverOutput } from "./helpers/cloud-init.js";

type Guest = typeof ALPHA | typeof BETA;

const USERDATA = { alpha: "#cloud-config\nhostname: {{hostname}}\n" };

/** What the crawler makes of a guest's meta-data/ tree: the whole tree, decoded. */
function expectedMetadata(guest: Guest): Record<string, unknown> {
  return {
    "ami-id": EC2_VALUES.ami_id,
    "ami-launch-index": "0",
    hostname: guest.name,
    "instance-id": guest.instanceId,
    "instance-type": EC2_VALUES.instance_type,
    "local-hostname": guest.name,
    "local-ipv4": guest.ip,
    mac: guest.mac,
    network: {
      interfaces: {
        macs: {
          [guest.mac]: {
            "device-number": "0",
            "local-hostname": guest.name,
            "local-ipv4s": guest.ip,
            mac: guest.mac,
          },
        },
      },
    },
    placement: { "availability-zone": "eu-test-1a", region: "eu-test-1" },
    "public-hostname": `${guest.name}.${EC2_VALUES.public_domain}`,
    "public-keys": { default: KEYS.default, backup: KEYS.backup },
    "reservation-id": guest === ALPHA ? "r-38444555555555555" : "r-c8dddeeeeeeeeeeee",
    services: { domain: EC2_VALUES.services_domain },
  };
}

function expectedUserdata(guest: Guest): string {
  return guest === ALPHA
    ? "#cloud-config\nhostname: alpha\n"
    : `#cloud-config\nhostname: beta\nlocal-hostname: beta\nfqdn: beta.localdomain\nmanage_etc_hosts: true\nssh_authorized_keys:\n    - ${KEYS.default}\n`;
}

/**
 * Every request answered 200. cloud-init only retries after a failure, so this also means no
 * retry (and no second lost to waiting for one).
 */
/** Seconds of get_data() that mean something waited: a retry or a time-out. */
const SLOW = 3;

function assertCleanRequests(out: DriverOutput, who: string): void {
  const failed = out.requests.filter(([, , status]) => status !== 200);
  assert.deepEqual(failed, [], `${who}: failed requests\n${out.log}`);
}

test("cloud-init's Ec2 helpers crawl each guest's own meta-data, user-data and identity", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/alpha.yaml": USERDATA.alpha },
  });
  const url = `http://127.0.0.1:${server.port}`;
  for (const guest of [ALPHA, BETA]) {
    for (const version of ["latest", "2009-04-04"]) {
      const out = await runDriver<{
        metadata: unknown;
        userdata: string;
        identity: { document: Record<string, unknown> };
      }>("crawl_helpers.py", { url, source: guest.ip, version });
      const who = `${guest.name} ${version}`;
      assertCleanRequests(out, who);
      assert.deepEqual(out.metadata, expectedMetadata(guest), `${who}: meta-data\n${out.log}`);
      assert.equal(out.userdata, expectedUserdata(guest), who);
      assert.equal(out.identity.document.instanceId, guest.instanceId, who);
      assert.equal(out.identity.document.privateIp, guest.ip, who);
      assert.ok(
        out.requests.length > 25,
        `${who}: the crawl made only ${out.requests.length} requests`,
      );
    }
  }
});

interface DatasourceResult {
  ok: boolean;
  seconds: number;
  cloud_name: string;
  instance_id: string;
  hostname: string;
  keys: string[];
  userdata: string;
  api_version: string;
  metadata_address: string;
  availability_zone: string;
  region: string;
  identity: Record<string, unknown>;
  metadata: Record<string, unknown>;
  network_config: unknown;
}

async function datasource(
  url: string,
  guest: Guest,
  platform: "aws" | "unknown",
): Promise<DatasourceResult & DriverOutput> {
  const out = await runDriver<DatasourceResult>("datasource_ec2.py", {
    url,
    source: guest.ip,
    platform,
    mac: guest.mac,
  });
  const who = `${guest.name} on ${platform}`;
  assert.equal(out.ok, true, `${who}: get_data() returned False\n${out.log}`);
  // cloud-init's retries and time-outs cost whole seconds each; a loaded CI machine alone
  // stays well below this (the speed itself is measured in bench/, not here).
  assert.ok(out.seconds < SLOW, `${who}: get_data() took ${out.seconds.toFixed(2)} s`);
  assertCleanRequests(out, who);
  assert.equal(out.metadata_address, url, who);
  assert.equal(out.api_version, "2021-03-23", `${who}: the newest dated version cloud-init knows`);
  assert.equal(out.instance_id, guest.instanceId, who);
  assert.equal(out.hostname, guest.name, who);
  assert.deepEqual(out.keys.sort(), [KEYS.backup, KEYS.default].sort(), who);
  assert.equal(out.userdata, expectedUserdata(guest), who);
  assert.deepEqual(out.metadata, expectedMetadata(guest), who);
  assert.equal(out.availability_zone, "eu-test-1a", who);
  assert.equal(out.region, "eu-test-1", who);
  // The network config cloud-init would write: DHCP on the NIC with the guest's MAC.
  assert.deepEqual(
    out.network_config,
    {
      version: 2,
      ethernets: {
        eth0: { dhcp4: true, dhcp6: false, match: { macaddress: guest.mac }, "set-name": "eth0" },
      },
    },
    who,
  );
  return out;
}

test("DataSourceEc2.get_data() on a non-AWS platform: IMDSv1, dated-version probing, quick", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/alpha.yaml": USERDATA.alpha },
  });
  const url = `http://127.0.0.1:${server.port}`;
  for (const guest of [ALPHA, BETA]) {
    const out = await datasource(url, guest, "unknown");
    assert.equal(out.cloud_name, "unknown");
    const calls = out.requests.map(([method, u, , token]) => [method, u.slice(url.length), token]);
    // No token request anywhere, no token sent; first the wait for 2009-04-04, then the probe.
    assert.ok(
      calls.every(([method, , token]) => method === "GET" && token === false),
      JSON.stringify(calls),
    );
    assert.deepEqual(calls.slice(0, 2), [
      ["GET", "/2009-04-04/meta-data/instance-id", false],
      ["GET", "/2021-03-23/meta-data/instance-id", false],
    ]);
    assert.ok(calls.some(([, path]) => path === "/2021-03-23/user-data"));
  }
});

test("DataSourceEc2.get_data() as on AWS: token PUT, every GET with the token, identity document", async (t) => {
  // require_token: an IMDSv2-only service, as AWS instances are often set up.
  const server = await startTestServer(
    t,
    ec2GuestsConfig({ ...EC2_VALUES, require_token: "yes" }),
    {
      files: { "userdata/alpha.yaml": USERDATA.alpha },
    },
  );
  const url = `http://127.0.0.1:${server.port}`;
  for (const guest of [ALPHA, BETA]) {
    const out = await datasource(url, guest, "aws");
    assert.equal(out.cloud_name, "aws");
    const [first, ...gets] = out.requests;
    assert.deepEqual(first?.slice(0, 3), ["PUT", `${url}/latest/api/token`, 200]);
    assert.ok(gets.length > 25);
    assert.ok(
      gets.every(([method, , , token]) => method === "GET" && token),
      JSON.stringify(gets),
    );
    assert.ok(gets.some(([, u]) => u === `${url}/2021-03-23/dynamic/instance-identity`));
    assert.equal(out.identity.instanceId, guest.instanceId);
    assert.equal(out.identity.region, "eu-test-1");
    assert.equal(out.identity.availabilityZone, "eu-test-1a");
  }
});

test("a guest without user-data (userdata_fallback = no): get_data() succeeds with none, no retries", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(EC2_VALUES, "userdata_fallback = no"));
  const url = `http://127.0.0.1:${server.port}`;
  for (const platform of ["unknown", "aws"] as const) {
    const out = await runDriver<DatasourceResult>("datasource_ec2.py", {
      url,
      source: BETA.ip,
      platform,
      mac: BETA.mac,
    });
    assert.equal(out.ok, true, out.log);
    assert.ok(out.seconds < SLOW, `${platform}: ${out.seconds} s`);
    assert.equal(out.userdata, "");
    assert.equal(out.instance_id, BETA.instanceId);
    const userdataCalls = out.requests.filter(([, u]) => u.endsWith("/user-data"));
    assert.deepEqual(
      userdataCalls.map(([, , status]) => status),
      [404],
      `${platform}: one 404, no retry`,
    );
  }
});
