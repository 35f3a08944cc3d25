/**
 * The admin listener of a running server: /healthz, /metrics and /status.json after guests
 * fetched their documents, the records kept only for known guests, and nothing of it on the
 * metadata listener.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StatusReport } from "../../src/admin/status-report.js";
import type { Identity } from "../../src/inventory/instance.js";
import type { InstanceSource, InventorySink, SourceHealth } from "../../src/inventory/source.js";
import { send } from "../helpers/http-client.js";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, STRANGER, twoGuestsConfig } from "../helpers/two-guests.js";

const BROKEN = "#cloud-config\nhostname: {{hostname}}\nbad: {{no_such_value}}\n";

async function adminGet(port: number, path: string) {
  return send({ port, path });
}

test("healthz, metrics and status.json say what the guests fetched", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/beta.yaml": BROKEN },
  });
  const adminPort = server.server.adminBound[0]?.port ?? 0;
  assert.notEqual(adminPort, 0);

  const health = await adminGet(adminPort, "/healthz");
  assert.equal(health.status, 200);
  assert.equal(health.body, "ok\n");

  // alpha: a token, its meta-data and user-data; beta: user-data from a broken template.
  const token = await server.request("/latest/api/token", {
    from: ALPHA.ip,
    method: "PUT",
    headers: { "x-aws-ec2-metadata-token-ttl-seconds": "60" },
  });
  assert.equal(token.status, 200);
  assert.equal(
    (await server.request("/latest/meta-data/hostname", { from: ALPHA.ip })).status,
    200,
  );
  assert.equal((await server.request("/latest/meta-data/nothing", { from: ALPHA.ip })).status, 404);
  assert.equal(
    (await server.request("/openstack/latest/user_data", { from: ALPHA.ip })).status,
    200,
  );
  assert.equal((await server.request("/nocloud/user-data", { from: BETA.ip })).status, 500);
  assert.equal((await server.request("/latest/meta-data/", { from: STRANGER })).status, 404);

  const metrics = (await adminGet(adminPort, "/metrics")).body;
  const value = (line: string) => {
    const found = metrics.split("\n").find((l) => l.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  };
  assert.equal(value('mdserver_requests_total{frontend="ec2",status="200"}'), 2);
  assert.equal(value('mdserver_requests_total{frontend="ec2",status="404"}'), 2);
  assert.equal(value('mdserver_requests_total{frontend="openstack",status="200"}'), 1);
  assert.equal(value('mdserver_requests_total{frontend="nocloud",status="500"}'), 1);
  assert.equal(value('mdserver_request_duration_seconds_count{frontend="ec2"}'), 4);
  assert.equal(value("mdserver_tokens_issued_total"), 1);
  assert.equal(value("mdserver_template_errors_total"), 1);
  assert.equal(value("mdserver_boot_reports_total"), 0);
  assert.equal(value('mdserver_instances{source="static"}'), 2);
  assert.match(metrics, /^# TYPE mdserver_libvirt_refresh_duration_seconds histogram$/m);

  const status = JSON.parse((await adminGet(adminPort, "/status.json")).body) as StatusReport;
  const alpha = status.guests.find((g) => g.name === "alpha");
  const beta = status.guests.find((g) => g.name === "beta");
  assert.ok(alpha && beta);
  assert.deepEqual(alpha.addresses, [ALPHA.ip]);
  assert.deepEqual(alpha.macs, [ALPHA.mac]);
  assert.equal(alpha.uuid, ALPHA.uuid);
  assert.equal(alpha.userdata, "(built-in)");
  assert.equal(alpha.metaData?.path, "/latest/meta-data/nothing");
  assert.equal(alpha.metaData?.status, 404);
  assert.equal(alpha.userData?.status, 200);
  assert.equal(beta.userdata, `${server.dir}/userdata/beta.yaml`);
  assert.equal(beta.metaData, undefined);
  assert.equal(beta.userData?.status, 500);
  // No boot-report store given: the column says so rather than "no report".
  assert.equal(alpha.bootReport, undefined);
  assert.equal(status.errors.length, 1);
  assert.equal(status.errors[0]?.instance, "beta");
  assert.match(status.errors[0]?.message ?? "", /beta\.yaml:3:\d+: .*no_such_value/);

  // The status page is not on the metadata listener, not even to a known guest.
  for (const path of ["/healthz", "/metrics", "/status.json"]) {
    const res = await server.request(path, { from: ALPHA.ip });
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.body, /mdserver_|alpha|beta/, path);
  }
  // And it is read-only.
  assert.equal((await send({ port: adminPort, path: "/healthz", method: "PUT" })).status, 405);
});

/** A source whose view and health the test sets. */
class TestSource implements InstanceSource {
  readonly id = "test";
  private sink: InventorySink | undefined;
  problem: string | undefined;

  async start(sink: InventorySink): Promise<void> {
    this.sink = sink;
  }
  async stop(): Promise<void> {}
  health(): SourceHealth {
    return this.problem === undefined ? { ok: true } : { ok: false, problem: this.problem };
  }
  show(names: readonly string[]): void {
    const identities: Identity[] = names.map((name, n) => ({
      address: `127.0.0.${21 + n}`,
      instance: {
        name,
        uuid: `00000000-0000-4000-8000-0000000000${21 + n}`,
        interfaces: [{ addresses: [`127.0.0.${21 + n}`] }],
        source: this.id,
      },
    }));
    this.sink?.publish(this.id, identities);
  }
}

test("a guest that goes takes its records along; a broken source makes healthz degraded", async (t) => {
  const source = new TestSource();
  const server = await startTestServer(t, "[mdserver]\nlisten_address = 127.0.0.1\n", {
    sources: [source],
  });
  const adminPort = server.server.adminBound[0]?.port ?? 0;
  source.show(["one", "two"]);
  for (const from of ["127.0.0.21", "127.0.0.22"]) {
    assert.equal((await server.request("/latest/meta-data/", { from })).status, 200);
  }
  const guests = async () =>
    (JSON.parse((await adminGet(adminPort, "/status.json")).body) as StatusReport).guests;
  assert.deepEqual(
    (await guests()).map((g) => [g.name, g.metaData?.status]),
    [
      ["one", 200],
      ["two", 200],
    ],
  );
  source.show(["one"]);
  source.show(["one", "two"]);
  // "two" came back as a new guest: what the one before fetched is not shown for it.
  assert.deepEqual(
    (await guests()).map((g) => [g.name, g.metaData?.status]),
    [
      ["one", 200],
      ["two", undefined],
    ],
  );

  source.problem = "cannot read libvirt at test:///x: gone";
  const health = await adminGet(adminPort, "/healthz");
  assert.equal(health.status, 503);
  assert.equal(health.body, "degraded\n- test: cannot read libvirt at test:///x: gone\n");
});
