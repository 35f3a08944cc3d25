/**
 * The .deb, built by packaging/build-deb.sh, checked by lintian and installed with dpkg into a
 * throwaway Debian 13 root (no systemd running there, as on a SysV host or in a container):
 * the installed command works, the service is installed but neither enabled nor started, the
 * SysV init script runs mdserver as its own user with only its three capabilities, and
 * removing then purging the package leaves the root as it was. systemd-service.test.ts boots
 * systemd for the unit.
 */
import assert from "node:assert/strict";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { test } from "node:test";
import { runCommand } from "../helpers/command.js";
import { DebianRoot } from "../helpers/debian-root.js";
import { eventually } from "../helpers/eventually.js";
import { createNetns } from "../helpers/netns.js";
import {
  buildPackage,
  fetchHostname,
  PACKAGE_VERSION,
  processIdentity,
  SERVICE_CAPABILITIES,
  SERVICE_CONFIG,
  VERSION,
} from "../helpers/packages.js";
import { Teardown } from "../helpers/teardown.js";

/** Every file the .deb holds, with its mode. */
const CONTENTS = [
  "./etc/default/mdserver -rw-r--r--",
  "./etc/init.d/mdserver -rwxr-xr-x",
  "./etc/logrotate.d/mdserver -rw-r--r--",
  "./etc/mdserver/mdserver.conf -rw-r--r--",
  "./usr/bin/mdserver -rwxr-xr-x",
  "./usr/lib/mdserver/mdserver.js -rw-r--r--",
  "./usr/lib/mdserver/package.json -rw-r--r--",
  "./usr/lib/systemd/system/mdserver.service -rw-r--r--",
  "./usr/share/doc/mdserver/README.md -rw-r--r--",
  "./usr/share/doc/mdserver/changelog.gz -rw-r--r--",
  "./usr/share/doc/mdserver/copyright -rw-r--r--",
  "./usr/share/man/man1/mdserver.1.gz -rw-r--r--",
];

/** Paths dpkg, apt and adduser keep for themselves: changed by any installation. */
const BOOKKEEPING =
  /^\/(tmp|run|var\/tmp|var\/lib\/dpkg|var\/cache\/(man|debconf|ldconfig))\/|^\/var\/log\/(dpkg\.log|alternatives\.log|apt\/)|^\/etc\/(passwd|group|shadow|gshadow|subuid|subgid)-$/;

/** What must be the same after a purge as before the installation. */
async function state(root: DebianRoot): Promise<Record<string, string>> {
  const files = await root.mustRun(["find", "/", "-xdev"]);
  const kept: Record<string, string> = {
    files: files.stdout
      .split("\n")
      .filter((path) => path !== "" && !BOOKKEEPING.test(path))
      .sort()
      .join("\n"),
    statoverrides: (await root.mustRun(["dpkg-statoverride", "--list"])).stdout,
  };
  for (const file of ["passwd", "group", "shadow", "gshadow"]) {
    kept[file] = await readFile(root.path(`/etc/${file}`), "utf8");
  }
  return kept;
}

/** The PID in the init script's pid file, if that process runs. */
async function runningPid(root: DebianRoot): Promise<number | undefined> {
  const pid = Number((await readFile(root.path("/run/mdserver.pid"), "utf8").catch(() => "")) || 0);
  if (pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

test("the .deb: lintian-clean, installs disabled, runs under its SysV script, purges cleanly", async (t) => {
  const teardown = new Teardown(t);
  const deb = await buildPackage(t, "deb");
  const root = await DebianRoot.create(teardown);
  const inRoot = `/tmp/${basename(deb)}`;
  await copyFile(deb, root.path(inRoot));
  // As on a host booted with SysV init, where invoke-rc.d may act; a root with no init running
  // and no policy blocks every action, so the prerm could not be seen stopping the service.
  await writeFile(root.path("/usr/sbin/policy-rc.d"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });

  await t.test("holds the program, its configuration and its service files", async () => {
    const info = await runCommand("dpkg-deb", ["--field", deb]);
    assert.match(info.stdout, new RegExp(`^Version: ${PACKAGE_VERSION}$`, "m"));
    assert.match(info.stdout, /^Architecture: all$/m);
    assert.match(info.stdout, /^Depends: nodejs \(>= 20\), libvirt-clients, adduser$/m);
    const listing = (await runCommand("dpkg-deb", ["--contents", deb])).stdout.split("\n");
    const files = listing.filter((line) => line.startsWith("-"));
    assert.deepEqual(
      files.map((line) => `${line.split(/\s+/).at(-1)} ${line.slice(0, 10)}`).sort(),
      CONTENTS,
    );
    assert.ok(
      files.every((line) => line.split(/\s+/)[1] === "root/root"),
      "every file belongs to root",
    );
    const conffiles = (await runCommand("dpkg-deb", ["--info", deb, "conffiles"])).stdout;
    assert.deepEqual(conffiles.trim().split("\n"), [
      "/etc/default/mdserver",
      "/etc/init.d/mdserver",
      "/etc/logrotate.d/mdserver",
      "/etc/mdserver/mdserver.conf",
    ]);
  });

  await t.test("lintian reports nothing", async () => {
    const result = await root.run(
      ["lintian", "--pedantic", "--display-info", "--display-experimental", inRoot],
      { timeoutMs: 180_000 },
    );
    assert.equal(result.stdout, "", result.stdout);
    assert.equal(result.code, 0, result.stderr);
  });

  const before = await state(root);
  await t.test(
    "installs with its dependencies, without starting or enabling anything",
    async () => {
      await root.mustRun(["dpkg", "-i", inRoot], { timeoutMs: 120_000 });
      assert.equal((await root.mustRun(["mdserver", "--version"])).stdout, `mdserver ${VERSION}\n`);
      const check = await root.run(["mdserver", "check-config", "/etc/mdserver/mdserver.conf"]);
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stdout, /configuration is valid/);
      assert.match(
        (await root.mustRun(["getent", "passwd", "mdserver"])).stdout,
        /^mdserver:x:\d+:\d+::\/var\/lib\/mdserver:\/usr\/sbin\/nologin$/m,
      );
      const modes = await root.mustRun(
        ["stat", "-c", "%A %U:%G %n"].concat(
          ["/etc/mdserver/mdserver.conf", "/etc/mdserver/userdata", "/var/lib/mdserver"],
          ["/var/log/mdserver.log"],
        ),
      );
      assert.deepEqual(modes.stdout.trim().split("\n"), [
        "-rw-r----- root:mdserver /etc/mdserver/mdserver.conf",
        "drwxr-x--- root:mdserver /etc/mdserver/userdata",
        "drwxr-x--- mdserver:mdserver /var/lib/mdserver",
        "-rw-r----- mdserver:adm /var/log/mdserver.log",
      ]);
      // SysV: stop links only; systemd: not enabled. Nothing runs.
      const links = await root.mustRun(["sh", "-c", "ls /etc/rc?.d | grep mdserver | sort -u"]);
      assert.equal(links.stdout, "K01mdserver\n");
      const wants = await root.run(["ls", "/etc/systemd/system/multi-user.target.wants"]);
      assert.doesNotMatch(wants.stdout, /mdserver/);
      assert.equal(await runningPid(root), undefined);
      assert.equal((await root.run(["/etc/init.d/mdserver", "status"])).code, 3);
    },
  );

  await t.test("systemd-analyze verify accepts the unit", async () => {
    const result = await root.run(["systemd-analyze", "verify", "mdserver.service"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, "");
  });

  await t.test("logrotate rotates the log and makes the new one for mdserver", async () => {
    await writeFile(root.path("/var/log/mdserver.log"), '{"msg":"a line"}\n');
    await root.mustRun(["logrotate", "--debug", "/etc/logrotate.d/mdserver"]);
    await root.mustRun([
      "logrotate",
      "--force",
      "-s",
      "/tmp/logrotate.state",
      "/etc/logrotate.d/mdserver",
    ]);
    const logs = await root.mustRun(["stat", "-c", "%A %U:%G %s %n", "/var/log/mdserver.log"]);
    assert.equal(logs.stdout, "-rw-r----- mdserver:adm 0 /var/log/mdserver.log\n");
    assert.equal(
      await readFile(root.path("/var/log/mdserver.log.1"), "utf8"),
      '{"msg":"a line"}\n',
    );
  });

  const netns = await createNetns(teardown, `mdspkg-${process.pid}`);
  teardown.add("stop a SysV mdserver left running", async () => {
    const pid = await runningPid(root);
    if (pid !== undefined) process.kill(pid, "SIGKILL");
  });
  const uid = Number((await root.mustRun(["id", "-u", "mdserver"])).stdout);

  await t.test("the init script starts, reloads, reports and stops mdserver", async () => {
    await writeFile(root.path("/etc/mdserver/mdserver.conf"), SERVICE_CONFIG);
    const start = await root.run(["/etc/init.d/mdserver", "start"], { netns });
    assert.equal(start.code, 0, start.stdout + start.stderr);
    const pid = await runningPid(root);
    assert.ok(pid !== undefined, "started");
    // Port 80 as user mdserver, with the three capabilities and no more.
    const identity = processIdentity(await readFile(`/proc/${pid}/status`, "utf8"));
    assert.deepEqual(identity, { uid, capabilities: SERVICE_CAPABILITIES });
    // The script returns once the process runs; it listens a moment later.
    await eventually("mdserver to answer", async () => (await fetchHostname(netns)) === "demo");
    // Its log, which it writes asynchronously.
    await eventually("the request in the log", async () =>
      (await readFile(root.path("/var/log/mdserver.log"), "utf8")).includes('"status":200'),
    );
    assert.equal((await root.run(["/etc/init.d/mdserver", "status"])).code, 0);
    // A second start changes nothing; reload keeps the same process serving.
    await root.mustRun(["/etc/init.d/mdserver", "start"], { netns });
    await root.mustRun(["/etc/init.d/mdserver", "reload"], { netns });
    await root.mustRun(["/etc/init.d/mdserver", "force-reload"], { netns });
    assert.equal(await runningPid(root), pid);
    assert.equal(await fetchHostname(netns), "demo");
    // restart and try-restart: another process, serving.
    for (const action of ["restart", "try-restart"]) {
      const before = await runningPid(root);
      await root.mustRun(["/etc/init.d/mdserver", action], { netns });
      const after = await runningPid(root);
      assert.ok(after !== undefined && after !== before, `${action}: a new process`);
      await eventually("mdserver to answer", async () => (await fetchHostname(netns)) === "demo");
    }
    await root.mustRun(["/etc/init.d/mdserver", "stop"]);
    assert.equal(await runningPid(root), undefined);
    assert.equal((await root.run(["/etc/init.d/mdserver", "status"])).code, 3);
  });

  await t.test("update-rc.d enable makes it start at boot, as the README says", async () => {
    await root.mustRun(["update-rc.d", "mdserver", "enable"]);
    const links = await root.mustRun(["sh", "-c", "cd /etc && ls rc2.d rc3.d rc4.d rc5.d"]);
    assert.equal(links.stdout.match(/S\d\dmdserver/g)?.length, 4, links.stdout);
  });

  await t.test("a bad configuration is shown by start, which fails", async () => {
    await writeFile(root.path("/etc/mdserver/mdserver.conf"), "[mdserver]\nport = eighty\n");
    const start = await root.run(["/etc/init.d/mdserver", "start"], { netns });
    assert.equal(start.code, 1);
    assert.match(start.stderr, /mdserver\.port/);
    assert.equal(await runningPid(root), undefined);
    await writeFile(root.path("/etc/mdserver/mdserver.conf"), SERVICE_CONFIG);
  });

  await t.test("remove stops it and keeps configuration, user, log and state", async () => {
    await root.mustRun(["/etc/init.d/mdserver", "start"], { netns });
    assert.ok((await runningPid(root)) !== undefined);
    await root.mustRun(["dpkg", "--remove", "mdserver"], { timeoutMs: 60_000 });
    assert.equal(await runningPid(root), undefined);
    assert.notEqual((await root.run(["test", "-e", "/usr/bin/mdserver"])).code, 0);
    await root.mustRun(["test", "-f", "/etc/mdserver/mdserver.conf"]);
    await root.mustRun(["test", "-s", "/var/log/mdserver.log"]);
    await root.mustRun(["test", "-d", "/var/lib/mdserver"]);
    await root.mustRun(["getent", "passwd", "mdserver"]);
  });

  await t.test("purge leaves the root as it was before the installation", async () => {
    await root.mustRun(["dpkg", "--purge", "mdserver"], { timeoutMs: 60_000 });
    assert.deepEqual(await state(root), before);
  });
});
