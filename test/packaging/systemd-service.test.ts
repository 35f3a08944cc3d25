/**
 * The systemd unit, run for real: systemd 257 booted in a throwaway Debian 13 root (in its own
 * namespaces, test/helpers/booted-systemd.ts), the .deb installed there while systemd runs.
 * The sandbox still lets mdserver bind port 80 as its own user, write its log, run virsh and
 * answer; a crash is restarted, a configuration error (exit 78) is not; an upgrade restarts it
 * only if it runs; removal stops it.
 */
import assert from "node:assert/strict";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { test } from "node:test";
import { bootSystemd } from "../helpers/booted-systemd.js";
import { DebianRoot } from "../helpers/debian-root.js";
import { eventually } from "../helpers/eventually.js";
import { ALPHA, FIXTURE_FILE } from "../helpers/libvirt-fixture.js";
import { createNetns } from "../helpers/netns.js";
import {
  buildPackage,
  fetchHostname,
  processIdentity,
  SERVICE_CAPABILITIES,
  SERVICE_CONFIG,
} from "../helpers/packages.js";
import { Teardown } from "../helpers/teardown.js";

test("the systemd unit runs mdserver sandboxed, restarts it on a crash, not on a config error", async (t) => {
  const teardown = new Teardown(t);
  const deb = await buildPackage(t, "deb");
  const root = await DebianRoot.create(teardown);
  const netns = await createNetns(teardown, `mdssd-${process.pid}`);
  const inRoot = `/var/tmp/${basename(deb)}`;
  await copyFile(deb, root.path(inRoot));
  const systemd = await bootSystemd(root, teardown, netns);

  const inside = async (args: readonly string[]) => {
    const result = await systemd.run(args, 120_000);
    if (result.code !== 0) {
      throw new Error(`${args.join(" ")} exited ${result.code}:\n${result.stdout}${result.stderr}`);
    }
    return result.stdout.trim();
  };
  const show = async (property: string) =>
    inside(["systemctl", "show", "--value", "-p", property, "mdserver.service"]);
  const journal = () =>
    systemd.run(["journalctl", "--no-pager", "-u", "mdserver.service"]).then((r) => r.stdout);

  await t.test("installed while systemd runs: known to it, disabled and stopped", async () => {
    await inside(["dpkg", "-i", inRoot]);
    assert.equal(
      (await systemd.run(["systemctl", "is-enabled", "mdserver.service"])).stdout.trim(),
      "disabled",
    );
    assert.equal(await show("ActiveState"), "inactive");
  });

  await t.test("enabled and started, it serves on port 80 as mdserver, sandboxed", async () => {
    await writeFile(root.path("/etc/mdserver/mdserver.conf"), SERVICE_CONFIG);
    await inside(["systemctl", "enable", "--now", "mdserver.service"]);
    assert.equal(await show("ActiveState"), "active");
    const pid = await show("MainPID");
    const identity = processIdentity(await inside(["cat", `/proc/${pid}/status`]));
    const mdserverUid = Number(await inside(["id", "-u", "mdserver"]));
    assert.deepEqual(identity, { uid: mdserverUid, capabilities: SERVICE_CAPABILITIES });
    await eventually("mdserver to answer", async () => (await fetchHostname(netns)) === "demo");
    // ProtectSystem=strict, yet its log is writable (ReadWritePaths=/var/log).
    await eventually("the request in the log", async () =>
      (await readFile(root.path("/var/log/mdserver.log"), "utf8")).includes('"status":200'),
    );
    // StateDirectory=: /var/lib/mdserver is its own.
    assert.equal(await inside(["stat", "-c", "%U %a", "/var/lib/mdserver"]), "mdserver 750");
  });

  await t.test("systemd-analyze security rates its exposure OK", async () => {
    const report = await inside(["systemd-analyze", "security", "--no-pager", "mdserver.service"]);
    const overall = /Overall exposure level for mdserver\.service: ([\d.]+) (\w+)/.exec(report);
    t.diagnostic(overall?.[0] ?? report);
    assert.ok(overall !== null && Number(overall[1]) <= 2, report);
  });

  await t.test("reload sends SIGHUP to the same process, which keeps serving", async () => {
    const pid = await show("MainPID");
    await inside(["systemctl", "reload", "mdserver.service"]);
    assert.equal(await show("MainPID"), pid);
    assert.equal(await show("ActiveState"), "active");
    assert.equal(await fetchHostname(netns), "demo");
  });

  await t.test("a crash is restarted", async () => {
    const pid = await show("MainPID");
    await inside(["kill", "-KILL", pid]);
    await eventually(
      "a restart",
      async () =>
        (await show("NRestarts")) === "1" &&
        (await show("ActiveState")) === "active" &&
        !["0", pid].includes(await show("MainPID")),
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    await eventually("mdserver to answer", async () => (await fetchHostname(netns)) === "demo");
  });

  await t.test("an upgrade restarts it when it runs", async () => {
    const pid = await show("MainPID");
    await inside(["dpkg", "-i", inRoot]);
    assert.equal(await show("ActiveState"), "active");
    assert.notEqual(await show("MainPID"), pid);
  });

  await t.test(
    "it runs virsh in its sandbox: guests of libvirt's test driver are known",
    async () => {
      // The fixture where mdserver can read it; an empty lease directory where libvirt keeps one.
      await copyFile(FIXTURE_FILE, root.path("/etc/mdserver/node.xml"));
      await root.mustRun(["mkdir", "-p", "/var/lib/libvirt/dnsmasq"]);
      await writeFile(
        root.path("/etc/mdserver/mdserver.conf"),
        `${SERVICE_CONFIG.replace("instance_source = static", "instance_source = static, libvirt")}
[libvirt]
uri = test:///etc/mdserver/node.xml
`,
      );
      await inside(["systemctl", "restart", "mdserver.service"]);
      await eventually(
        "alpha to be known",
        async () => (await fetchHostname(netns, ALPHA.ip).catch(() => "")) === ALPHA.name,
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      assert.equal(await fetchHostname(netns), "demo");
    },
  );

  await t.test("a configuration error stops it for good: exit 78, no restart", async () => {
    await writeFile(root.path("/etc/mdserver/mdserver.conf"), "[mdserver]\nport = eighty\n");
    const restarts = Number(await show("NRestarts"));
    await systemd.run(["systemctl", "restart", "mdserver.service"]);
    await eventually("the failure", async () => (await show("ActiveState")) === "failed", {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    assert.equal(await show("ExecMainStatus"), "78");
    // Well past RestartSec: still failed, never restarted.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(await show("ActiveState"), "failed");
    assert.equal(Number(await show("NRestarts")), restarts);
    assert.match(await journal(), /mdserver\.port/);
  });

  await t.test("removal stops it; purge forgets it", async () => {
    await writeFile(root.path("/etc/mdserver/mdserver.conf"), SERVICE_CONFIG);
    await inside(["systemctl", "reset-failed", "mdserver.service"]);
    await inside(["systemctl", "start", "mdserver.service"]);
    await inside(["dpkg", "--remove", "mdserver"]);
    assert.equal(await show("ActiveState"), "inactive");
    await inside(["dpkg", "--purge", "mdserver"]);
    assert.equal(await show("LoadState"), "not-found");
    assert.equal((await systemd.run(["getent", "passwd", "mdserver"])).code, 2);
  });
});
