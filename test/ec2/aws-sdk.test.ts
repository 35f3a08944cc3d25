/**
 * Judged by the AWS SDK for JavaScript v3 (@aws-sdk/ec2-metadata-service): with IMDSv2 tokens
 * and without, over IPv4 and IPv6. It asks for "//latest/…" (doubled slash) and keeps
 * connections alive. The guest here is 127.0.0.1 / ::1, since the SDK picks its own source.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { startTestServer, type TestServer } from "../helpers/test-server.js";
import { KEYS } from "../helpers/two-guests.js";
import { EC2_VALUES } from "./helpers/ec2-guests.js";

const SDK_GUEST = {
  name: "sdk",
  uuid: "5d5d5d5d-1111-4222-8333-444455556666",
  instanceId: "i-5d5d5d5d111142228",
  mac: "52:54:00:5d:5d:5d",
};

function config(ec2Extra = ""): string {
  return `[mdserver]
listen_address = 127.0.0.1, ::1
userdata_dir = userdata
logfile = -
instance_source = static

[public-keys]
default = ${KEYS.default}

[instance:${SDK_GUEST.name}]
ip = 127.0.0.1, ::1
mac = ${SDK_GUEST.mac}
uuid = ${SDK_GUEST.uuid}

[ec2]
region = ${EC2_VALUES.region}
instance_type = ${EC2_VALUES.instance_type}
${ec2Extra}
`;
}

function endpoints(server: TestServer): { v4: string; v6: string } {
  const v4 = server.server.bound.find((b) => b.family === "IPv4");
  const v6 = server.server.bound.find((b) => b.family === "IPv6");
  assert.ok(v4 && v6);
  return { v4: `http://127.0.0.1:${v4.port}`, v6: `http://[::1]:${v6.port}` };
}

/** What the SDK reads for the guest, through `service`. */
async function readAll(service: MetadataService): Promise<Record<string, string>> {
  const paths = [
    "/latest/meta-data/instance-id",
    "/latest/meta-data/local-hostname",
    "/latest/meta-data/instance-type",
    "/latest/meta-data/placement/region",
    "/latest/meta-data/public-keys/0/openssh-key",
    "/latest/meta-data/network/interfaces/macs/",
    "/latest/user-data",
  ];
  const out: Record<string, string> = {};
  for (const path of paths) out[path] = await service.request(path, {});
  return out;
}

const EXPECTED = {
  "/latest/meta-data/instance-id": SDK_GUEST.instanceId,
  "/latest/meta-data/local-hostname": SDK_GUEST.name,
  "/latest/meta-data/instance-type": EC2_VALUES.instance_type,
  "/latest/meta-data/placement/region": EC2_VALUES.region,
  "/latest/meta-data/public-keys/0/openssh-key": KEYS.default,
  "/latest/meta-data/network/interfaces/macs/": `${SDK_GUEST.mac}/`,
  "/latest/user-data": "#cloud-config\nhostname: sdk\n",
};

const FILES = { "userdata/sdk": "#cloud-config\nhostname: {{hostname}}\n" };

test("the AWS SDK with IMDSv2 tokens, where tokens are required, over IPv4 and IPv6", async (t) => {
  const server = await startTestServer(t, config("require_token = yes"), { files: FILES });
  for (const endpoint of Object.values(endpoints(server))) {
    const service = new MetadataService({ endpoint, retries: 0, ec2MetadataV1Disabled: true });
    assert.deepEqual(await readAll(service), EXPECTED, endpoint);
    const token = await service.fetchMetadataToken();
    assert.match(token, /^[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    const document = JSON.parse(
      await service.request("/latest/dynamic/instance-identity/document", {}),
    ) as Record<string, unknown>;
    assert.equal(document.instanceId, SDK_GUEST.instanceId);
    assert.equal(document.region, EC2_VALUES.region);
  }
  // IMDSv1 against a token-only server is refused (401), as on AWS.
  const v1 = new MetadataService({
    endpoint: endpoints(server).v4,
    retries: 0,
    disableFetchToken: true,
  });
  await assert.rejects(v1.request("/latest/meta-data/instance-id", {}), /status code 401/);
});

test("the AWS SDK without tokens (IMDSv1), over IPv4 and IPv6", async (t) => {
  const server = await startTestServer(t, config(), { files: FILES });
  for (const endpoint of Object.values(endpoints(server))) {
    const service = new MetadataService({ endpoint, retries: 0, disableFetchToken: true });
    assert.deepEqual(await readAll(service), EXPECTED, endpoint);
    // A missing path is an error the SDK does not retry (404).
    await assert.rejects(service.request("/latest/meta-data/nothing-here", {}), /status code 404/);
  }
});

test("the AWS SDK's default (tokens, falling back to IMDSv1) against the default server", async (t) => {
  const server = await startTestServer(t, config(), { files: FILES });
  const service = new MetadataService({ endpoint: endpoints(server).v4, retries: 0 });
  assert.deepEqual(await readAll(service), EXPECTED);
});
