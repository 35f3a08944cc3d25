/**
 * Instance tags and placement from the meta-data part and the domain's <metadata>, as
 * cloud-init's own Ec2 crawler (Debian's cloud-init, /usr/bin/python3) reads them: the
 * whole crawl must come back, with tags/instance/ in it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA } from "../helpers/two-guests.js";
import { ec2GuestsConfig } from "../ec2/helpers/ec2-guests.js";
import { runDriver } from "../ec2/helpers/cloud-init.js";

test("cloud-init's Ec2 crawler reads the guest's tags and zone; another guest has none", async (t) => {
  const server = await startTestServer(t, ec2GuestsConfig(), {
    files: {
      "userdata/alpha.meta-data":
        "availability-zone: lab-{{name}}\ninstance-type: m5.large\ntags:\n  Name: {{name}}\n  Environment: production\n",
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  const crawl = async (source: string) => {
    const out = await runDriver<{ metadata: Record<string, unknown> }>("crawl_helpers.py", {
      url,
      source,
      version: "latest",
    });
    assert.deepEqual(
      out.requests.filter(([, , status]) => status !== 200),
      [],
      `failed requests\n${out.log}`,
    );
    return out.metadata;
  };
  const alpha = await crawl(ALPHA.ip);
  assert.deepEqual(alpha["tags"], { instance: { Name: "alpha", Environment: "production" } });
  assert.deepEqual(alpha["placement"], { "availability-zone": "lab-alpha", region: "eu-test-1" });
  assert.equal(alpha["instance-type"], "m5.large");
  const beta = await crawl(BETA.ip);
  assert.equal(beta["tags"], undefined);
  assert.deepEqual(beta["placement"], { "availability-zone": "eu-test-1a", region: "eu-test-1" });
});
