/**
 * The admin side fed by real parts: a libvirt source (libvirt's test driver, through virsh)
 * in /metrics and the status page, and a log that cannot be written in /healthz.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { join } from "node:path";
import { test } from "node:test";
import type { StatusReport } from "../../src/admin/status-report.js";
import { freePort, runCli, serveInBackground } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, FIXTURE_URI } from "../helpers/libvirt-fixture.js";
import { startTestServer } from "../helpers/test-server.js";
import { twoGuestsConfig } from "../helpers/two-guests.js";

test("a libvirt source's passes and instances are in /metrics, its guests on the status page", async (t) => {
  const server = await startTestServer(
    t,
    `[mdserver]\nlisten_address = 127.0.0.1\nuserdata_dir = userdata\ninstance_source = libvirt\n[libvirt]\nuri = ${FIXTURE_URI}\n[dnsmasq]\nnet_name = mds\nbase_dir = leases\n`,
    { files: { "leases/.keep": "" } },
  );
  const adminPort = server.server.adminBound[0]?.port ?? 0;
  assert.equal(
    (await server.request("/latest/meta-data/hostname", { from: ALPHA.ip })).body,
    "alpha",
  );
  const metrics = (await send({ port: adminPort, path: "/metrics" })).body;
  const source = `source="libvirt ${FIXTURE_URI}"`;
  const value = (name: string) =>
    Number(new RegExp(`^${name}\\{${source}\\} (\\S+)$`, "m").exec(metrics)?.[1]);
  assert.ok(value("mdserver_libvirt_refreshes_total") >= 1, metrics);
  assert.equal(value("mdserver_libvirt_refresh_failures_total"), 0);
  assert.ok(value("mdserver_libvirt_refresh_duration_seconds_count") >= 1);
  const known = value("mdserver_instances");
  assert.ok(known >= 3, metrics);
  const status = JSON.parse(
    (await send({ port: adminPort, path: "/status.json" })).body,
  ) as StatusReport;
  assert.equal(status.guests.length, known);
  const alpha = status.guests.find((g) => g.uuid === ALPHA.uuid);
  assert.deepEqual(
    [alpha?.name, alpha?.macs, alpha?.metaData?.status],
    ["alpha", [ALPHA.mac], 200],
  );
});

test("a log that cannot be written makes /healthz degraded, saying so", async (t) => {
  const adminPort = await freePort();
  const server = await serveInBackground(t, (port) =>
    twoGuestsConfig(`[admin]\nport = ${adminPort}\n`, `port = ${port}`).replace(
      "logfile = -",
      "logfile = /dev/full",
    ),
  );
  await eventually("healthz to say the log is failing", async () => {
    // A server that could not start says why (the log is /dev/full: only stderr tells).
    if (server.child.exitCode !== null) throw new Error(`mdserver exited: ${server.output()}`);
    const res = await send({ port: adminPort, path: "/healthz" });
    return res.status === 503 && /^- log: cannot write the log to \/dev\/full/m.test(res.body);
  });
  const file = join(server.dir, "mdserver.conf");
  const degraded = await runCli(["status", "--config", file]);
  assert.equal(degraded.code, 1);
  assert.match(
    degraded.stdout,
    /^mdserver \S+: degraded\n {2}log: cannot write the log to \/dev\/full/,
  );
  server.child.kill("SIGTERM");
  const [code] = (await once(server.child, "exit")) as [number | null];
  assert.equal(code, 0);
  // Nothing answers any more: status says where it asked.
  const gone = await runCli(["status", "--config", file]);
  assert.equal(gone.code, 69);
  assert.match(
    gone.stderr,
    new RegExp(`no answer from the admin listener at 127\\.0\\.0\\.1:${adminPort}`),
  );
});
