/**
 * The .rpm, built by packaging/build-rpm.sh from packaging/rpm/mdserver.spec: what rpm says
 * about it (-qip, -qlp, --requires, --scripts), that it holds the same files as the .deb, and
 * its scriptlets run for real by installing and erasing it with rpm --root in a throwaway
 * Debian root (rpm is no package manager there, but its scriptlets need only a shell, useradd
 * and systemctl).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { mustRun, runCommand } from "../helpers/command.js";
import { DebianRoot } from "../helpers/debian-root.js";
import { buildPackage, PACKAGE_VERSION, VERSION } from "../helpers/packages.js";
import { Teardown } from "../helpers/teardown.js";

/** Files only the .deb has: the SysV script and Debian's copyright and changelog. */
const DEB_ONLY = [
  "/etc/init.d/mdserver",
  "/usr/share/doc/mdserver/changelog.gz",
  "/usr/share/doc/mdserver/copyright",
];
/** What the .rpm has instead: the same copyright file, where rpm puts licenses. */
const RPM_ONLY = ["/usr/share/licenses/mdserver/copyright"];

async function rpmQuery(args: readonly string[]): Promise<string> {
  return (await mustRun("rpm", args)).stdout;
}

test("the .rpm: metadata, the .deb's files, scriptlets that create the user and leave it disabled", async (t) => {
  const teardown = new Teardown(t);
  const rpm = await buildPackage(t, "rpm");

  await t.test("rpm -qip: name, version, license, architecture", async () => {
    const info = await rpmQuery(["-qip", rpm]);
    assert.match(info, /^Name\s*: mdserver$/m);
    assert.match(info, new RegExp(`^Version\\s*: ${PACKAGE_VERSION}$`, "m"));
    assert.match(info, /^Release\s*: 1$/m);
    assert.match(info, /^Architecture: noarch$/m);
    assert.match(info, /^License\s*: MIT$/m);
  });

  await t.test("requires Node.js 20, virsh, and what its scriptlets run", async () => {
    const requires = (await rpmQuery(["-qp", "--requires", rpm])).split("\n");
    for (const needed of ["nodejs(engine) >= 20", "/usr/bin/virsh", "/usr/bin/node"]) {
      assert.ok(requires.includes(needed), `${needed} in ${requires.join(", ")}`);
    }
    assert.ok(requires.includes("shadow-utils") && requires.includes("systemd"));
  });

  await t.test(
    "its scriptlets: user before the files, disabled on install, stopped on erase",
    async () => {
      const scripts = await rpmQuery(["-qp", "--scripts", rpm]);
      const section = (name: string) =>
        scripts.split(/^(?=\w+ scriptlet)/m).find((s) => s.startsWith(name)) ?? "";
      assert.match(section("preinstall"), /useradd -r -g mdserver -d \/var\/lib\/mdserver/);
      assert.match(section("postinstall"), /systemctl --no-reload preset mdserver\.service/);
      assert.doesNotMatch(section("postinstall"), /\b(start|enable)\b/);
      assert.match(
        section("preuninstall"),
        /systemctl --no-reload disable --now mdserver\.service/,
      );
      assert.match(section("postuninstall"), /systemctl try-restart mdserver\.service/);
    },
  );

  await t.test(
    "holds the .deb's files, byte for byte, and marks /etc as configuration",
    async () => {
      const deb = await buildPackage(t, "deb");
      const debFiles = (await mustRun("dpkg-deb", ["--contents", deb])).stdout
        .split("\n")
        .filter((line) => line.startsWith("-"))
        .map((line) => (line.split(/\s+/).at(-1) ?? "").slice(1))
        .filter((path) => !DEB_ONLY.includes(path));
      const rpmFiles = (
        await rpmQuery(["-qp", "--qf", "[%{FILEMODES:perms} %{FILENAMES}\\n]", rpm])
      )
        .split("\n")
        .filter((line) => line.startsWith("-"))
        .map((line) => line.split(" ")[1] ?? "")
        .filter((path) => !RPM_ONLY.includes(path));
      assert.deepEqual(rpmFiles.sort(), debFiles.sort());
      const rpmDigests = await rpmQuery(["-qp", "--qf", "[%{FILENAMES} %{FILEDIGESTS}\\n]", rpm]);
      const digestOf = new Map(
        rpmDigests
          .trim()
          .split("\n")
          .map((line) => line.split(" ") as [string, string]),
      );
      const extracted = await mustRun("sh", [
        "-c",
        'd=$(mktemp -d) && dpkg-deb -x "$1" "$d" && cd "$d" && find . -type f -exec sha256sum {} + && rm -rf "$d"',
        "sh",
        deb,
      ]);
      const debDigest = new Map(
        extracted.stdout
          .trim()
          .split("\n")
          .map((line) => {
            const [digest, path] = line.split(/\s+/);
            return [(path ?? "").slice(1), digest ?? ""] as [string, string];
          }),
      );
      assert.match(digestOf.get("/usr/lib/mdserver/mdserver.js") ?? "", /^[0-9a-f]{64}$/);
      for (const path of rpmFiles) assert.equal(digestOf.get(path), debDigest.get(path), path);
      assert.deepEqual((await rpmQuery(["-qcp", rpm])).trim().split("\n"), [
        "/etc/default/mdserver",
        "/etc/logrotate.d/mdserver",
        "/etc/mdserver/mdserver.conf",
      ]);
    },
  );

  await t.test("installed and erased with rpm --root, its scriptlets do their part", async () => {
    const root = await DebianRoot.create(teardown);
    const rpmIn = (args: readonly string[]) =>
      mustRun("nsenter", [
        "-t",
        String(root.namespacePid),
        "-m",
        "--",
        "rpm",
        "--root",
        root.dir,
        ...args,
      ]);
    await rpmIn(["--initdb"]);
    await rpmIn(["-i", "--nodeps", rpm]);
    assert.equal((await root.mustRun(["mdserver", "--version"])).stdout, `mdserver ${VERSION}\n`);
    await root.mustRun(["mdserver", "check-config", "/etc/mdserver/mdserver.conf"]);
    await root.mustRun(["getent", "passwd", "mdserver"]);
    const modes = await root.mustRun(
      ["stat", "-c", "%A %U:%G %n"].concat([
        "/etc/mdserver/mdserver.conf",
        "/etc/mdserver/userdata",
        "/var/lib/mdserver",
        "/var/log/mdserver.log",
      ]),
    );
    assert.deepEqual(modes.stdout.trim().split("\n"), [
      "-rw-r----- root:mdserver /etc/mdserver/mdserver.conf",
      "drwxr-x--- root:mdserver /etc/mdserver/userdata",
      "drwxr-x--- mdserver:mdserver /var/lib/mdserver",
      "-rw-r----- mdserver:adm /var/log/mdserver.log",
    ]);
    await rpmIn(["-e", "mdserver"]);
    for (const gone of [
      "/usr/bin/mdserver",
      "/usr/lib/mdserver",
      "/etc/mdserver",
      "/var/lib/mdserver",
    ]) {
      assert.notEqual((await root.run(["test", "-e", gone])).code, 0, `${gone} is gone`);
    }
    // As rpm packages do: the user stays (files may still be its), and so does the log.
    await root.mustRun(["getent", "passwd", "mdserver"]);
    assert.equal((await runCommand("test", ["-e", root.path("/var/log/mdserver.log")])).code, 0);
  });
});
