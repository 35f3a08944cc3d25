/**
 * Every leaf and listing of the EC2 tree, exactly, for guests of different shapes and under
 * every served version: what cloud-init, the AWS SDKs and ec2-metadata read.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, KEYS } from "../helpers/two-guests.js";
import {
  DELTA,
  DELTA_INSTANCE,
  EC2_VALUES,
  GAMMA,
  ec2GuestsConfig,
  fixedSource,
} from "./helpers/ec2-guests.js";
import { expectRows, underVersion, type Row } from "./helpers/expect-rows.js";

const VERSIONS = ["2009-04-04", "2016-09-02", "2018-09-24", "2021-03-23", "latest"];
const OCTETS = "application/octet-stream";
const ALPHA_USERDATA = "#cloud-config\nhostname: {{hostname}}\n";

const KEY_ROWS: Row[] = [
  ["meta-data/public-keys/", "0=default\n1=backup"],
  ["meta-data/public-keys/0/", "openssh-key"],
  ["meta-data/public-keys/0/openssh-key", KEYS.default],
  ["meta-data/public-keys/1/", "openssh-key"],
  ["meta-data/public-keys/1/openssh-key", KEYS.backup],
];

const ALPHA_ROWS: Row[] = [
  ["", "dynamic/\nmeta-data/\nuser-data"],
  ["dynamic/", "instance-identity/"],
  ["dynamic/instance-identity/", "document"],
  [
    "meta-data/",
    [
      "ami-id",
      "ami-launch-index",
      "hostname",
      "instance-id",
      "instance-type",
      "local-hostname",
      "local-ipv4",
      "mac",
      "network/",
      "placement/",
      "public-hostname",
      "public-keys/",
      "reservation-id",
      "services/",
    ].join("\n"),
  ],
  ["meta-data/ami-id", EC2_VALUES.ami_id],
  ["meta-data/ami-launch-index", "0"],
  ["meta-data/hostname", "alpha"],
  ["meta-data/instance-id", ALPHA.instanceId],
  ["meta-data/instance-type", EC2_VALUES.instance_type],
  ["meta-data/local-hostname", "alpha"],
  ["meta-data/local-ipv4", ALPHA.ip],
  ["meta-data/mac", ALPHA.mac],
  ["meta-data/network/", "interfaces/"],
  ["meta-data/network/interfaces/", "macs/"],
  ["meta-data/network/interfaces/macs/", `${ALPHA.mac}/`],
  [
    `meta-data/network/interfaces/macs/${ALPHA.mac}/`,
    "device-number\nlocal-hostname\nlocal-ipv4s\nmac",
  ],
  [`meta-data/network/interfaces/macs/${ALPHA.mac}/device-number`, "0"],
  [`meta-data/network/interfaces/macs/${ALPHA.mac}/local-hostname`, "alpha"],
  [`meta-data/network/interfaces/macs/${ALPHA.mac}/local-ipv4s`, ALPHA.ip],
  [`meta-data/network/interfaces/macs/${ALPHA.mac}/mac`, ALPHA.mac],
  ["meta-data/placement/", "availability-zone\nregion"],
  ["meta-data/placement/availability-zone", "eu-test-1a"],
  ["meta-data/placement/region", "eu-test-1"],
  ["meta-data/public-hostname", "alpha.guests.example.org"],
  ...KEY_ROWS,
  ["meta-data/reservation-id", "r-38444555555555555"],
  ["meta-data/services/", "domain"],
  ["meta-data/services/domain", "example.org"],
  ["user-data", { status: 200, body: "#cloud-config\nhostname: alpha\n", contentType: OCTETS }],
];

const GAMMA_ROWS: Row[] = [
  [
    "meta-data/",
    [
      "ami-id",
      "ami-launch-index",
      "hostname",
      "instance-id",
      "instance-type",
      "ipv6",
      "local-hostname",
      "local-ipv4",
      "placement/",
      "public-hostname",
      "public-keys/",
      "reservation-id",
      "services/",
    ].join("\n"),
  ],
  ["meta-data/hostname", "gamma"],
  ["meta-data/instance-id", GAMMA.instanceId],
  ["meta-data/ipv6", GAMMA.ipv6],
  ["meta-data/local-hostname", "gamma"],
  ["meta-data/local-ipv4", GAMMA.ip],
  ["meta-data/public-hostname", "gamma.guests.example.org"],
  ["meta-data/reservation-id", "r-88706050403020100"],
  // Without a MAC there is neither a mac leaf nor a network tree, listed or not.
  ["meta-data/mac", { status: 404 }],
  ["meta-data/network/", { status: 404 }],
  // The built-in #cloud-config, as the original served when no file matches.
  [
    "user-data",
    {
      status: 200,
      body: `#cloud-config\nhostname: gamma\nlocal-hostname: gamma\nfqdn: gamma.localdomain\nmanage_etc_hosts: true\nssh_authorized_keys:\n    - ${KEYS.default}\n`,
      contentType: OCTETS,
    },
  ],
];

test("each guest's EC2 tree answers exactly, under every served version", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: { "userdata/alpha.yaml": ALPHA_USERDATA },
  });
  const versionList = VERSIONS.map((v) => `${v}/`).join("\n");
  for (const guest of [ALPHA.ip, BETA.ip, GAMMA.ip])
    await expectRows(server, guest, [["/", versionList]]);
  for (const version of VERSIONS) {
    await expectRows(server, ALPHA.ip, underVersion(version, ALPHA_ROWS));
    await expectRows(server, GAMMA.ip, underVersion(version, GAMMA_ROWS));
    await expectRows(
      server,
      BETA.ip,
      underVersion(version, [
        ["meta-data/instance-id", BETA.instanceId],
        ["meta-data/hostname", "beta"],
        ["meta-data/mac", BETA.mac],
        [`meta-data/network/interfaces/macs/`, `${BETA.mac}/`],
        ["meta-data/public-hostname", "beta.guests.example.org"],
        ["meta-data/reservation-id", "r-c8dddeeeeeeeeeeee"],
        // alpha's MAC is not beta's: another guest's subtree does not exist for beta.
        [`meta-data/network/interfaces/macs/${ALPHA.mac}/mac`, { status: 404 }],
        ...KEY_ROWS,
      ]),
    );
  }
});

test("the identity document agrees with meta-data and names the asking guest", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig());
  for (const guest of [ALPHA, BETA, GAMMA]) {
    const res = await server.request("/latest/dynamic/instance-identity/document", {
      from: guest.ip,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-type"], "text/plain");
    const doc = JSON.parse(res.body) as Record<string, unknown>;
    assert.match(String(doc.pendingTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(
      { ...doc, pendingTime: "" },
      {
        accountId: "000000000000",
        architecture: process.arch === "arm64" ? "aarch64" : "x86_64",
        availabilityZone: "eu-test-1a",
        billingProducts: null,
        devpayProductCodes: null,
        marketplaceProductCodes: null,
        imageId: EC2_VALUES.ami_id,
        instanceId: guest.instanceId,
        instanceType: EC2_VALUES.instance_type,
        kernelId: null,
        pendingTime: "",
        privateIp: guest.ip,
        ramdiskId: null,
        region: "eu-test-1",
        version: "2017-09-30",
      },
    );
    // The same document every time, and under a dated version as well.
    const again = await server.request("/2016-09-02/dynamic/instance-identity/document", {
      from: guest.ip,
    });
    assert.equal(again.body, res.body);
  }
});

test("a guest with two NICs (as libvirt reports it): per-NIC addresses, device numbers, architecture", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    sources: [fixedSource([DELTA_INSTANCE])],
  });
  const macs = "meta-data/network/interfaces/macs";
  // Asked from its second address: local-ipv4 and privateIp are the address that asked.
  await expectRows(
    server,
    DELTA.secondIp,
    underVersion("latest", [
      ["meta-data/instance-id", DELTA.instanceId],
      ["meta-data/local-ipv4", DELTA.secondIp],
      ["meta-data/mac", DELTA.mac],
      ["meta-data/ipv6", DELTA.ipv6],
      [`${macs}/`, `${DELTA.mac}/\n${DELTA.secondMac}/`],
      [`${macs}/${DELTA.mac}/`, "device-number\nipv6s\nlocal-hostname\nlocal-ipv4s\nmac"],
      [`${macs}/${DELTA.mac}/device-number`, "0"],
      [`${macs}/${DELTA.mac}/local-ipv4s`, `${DELTA.ip}\n${DELTA.secondIp}`],
      [`${macs}/${DELTA.mac}/ipv6s`, DELTA.ipv6],
      [`${macs}/${DELTA.secondMac}/`, "device-number\nlocal-hostname\nlocal-ipv4s\nmac"],
      [`${macs}/${DELTA.secondMac}/device-number`, "1"],
      [`${macs}/${DELTA.secondMac}/local-ipv4s`, DELTA.secondNicIp],
      [`${macs}/${DELTA.secondMac}/mac`, DELTA.secondMac],
    ]),
  );
  // From the second NIC's address, mac is that NIC's.
  await expectRows(server, DELTA.secondNicIp, [["/latest/meta-data/mac", DELTA.secondMac]]);
  const doc = await server.request("/latest/dynamic/instance-identity/document", {
    from: DELTA.secondIp,
  });
  const parsed = JSON.parse(doc.body) as Record<string, unknown>;
  assert.equal(parsed.architecture, "aarch64");
  assert.equal(parsed.privateIp, DELTA.secondIp);
  assert.equal(parsed.instanceId, DELTA.instanceId);
});

test("without [ec2] settings: the documented defaults, and no public-hostname", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig({}));
  await expectRows(
    server,
    ALPHA.ip,
    underVersion("latest", [
      ["meta-data/ami-id", "ami-00000000000000000"],
      ["meta-data/instance-type", "m1.small"],
      ["meta-data/placement/availability-zone", "local-1a"],
      ["meta-data/placement/region", "local-1"],
      ["meta-data/services/domain", "localdomain"],
      ["meta-data/public-hostname", { status: 404 }],
    ]),
  );
  const listing = await server.request("/latest/meta-data/", { from: ALPHA.ip });
  assert.ok(!listing.body.split("\n").includes("public-hostname"), listing.body);
});

test("an explicit availability_zone is served as is; a bad public_domain is a config error", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig({ availability_zone: "rack-7" }));
  await expectRows(server, ALPHA.ip, [["/latest/meta-data/placement/availability-zone", "rack-7"]]);
  await assert.rejects(
    startTestServer(t, ec2GuestsConfig({ public_domain: "not a domain" })),
    /ec2\.public_domain: is not a DNS domain name/,
  );
});

test("without public keys there is no public-keys/ entry", async (t) => {
  const config = ec2GuestsConfig().replace(/\[public-keys\]\n[^[]*/, "");
  const server = await startTestServer(t, config);
  const listing = await server.request("/latest/meta-data/", { from: ALPHA.ip });
  assert.ok(!listing.body.includes("public-keys"), listing.body);
  await expectRows(server, ALPHA.ip, [["/latest/meta-data/public-keys/", { status: 404 }]]);
});

test("versions from service.ec2_versions are listed and served next to cloud-init's", async (t) => {
  const server = await startTestServer(
    t,
    `${ec2GuestsConfig()}\n[service]\nec2_versions = 2007-12-15, 1.0\n`,
  );
  await expectRows(server, ALPHA.ip, [
    ["/", "2007-12-15/\n2009-04-04/\n2016-09-02/\n2018-09-24/\n2021-03-23/\n1.0/\nlatest/"],
    ["/1.0/meta-data/instance-id", ALPHA.instanceId],
    ["/2007-12-15/meta-data/hostname", "alpha"],
    [
      "/service/ec2_versions",
      "2007-12-15\n2009-04-04\n2016-09-02\n2018-09-24\n2021-03-23\n1.0\nlatest",
    ],
    ["/2008-02-01/meta-data/hostname", { status: 404 }],
  ]);
});
