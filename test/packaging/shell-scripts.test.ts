/**
 * shellcheck over every shell script that ships or builds the packages: the init script, the
 * maintainer scripts, the build and test scripts (POSIX sh: they run under dash).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { runCommand } from "../helpers/command.js";
import { REPO_ROOT } from "../helpers/paths.js";

const SCRIPTS = [
  ".ci/run",
  "etc/init.d/mdserver",
  "packaging/build-deb.sh",
  "packaging/build-rpm.sh",
  "packaging/common.sh",
  "packaging/install-tree.sh",
  "packaging/debian/postinst",
  "packaging/debian/prerm",
  "packaging/debian/postrm",
  "scripts/build-guest-image.sh",
  "scripts/install-test-deps.sh",
  "scripts/test-all.sh",
  "test/packaging/debian-root.sh",
];

test("shellcheck finds nothing in the shell scripts", async () => {
  const result = await runCommand("shellcheck", [
    "--shell=sh",
    "--external-sources",
    ...SCRIPTS.map((s) => join(REPO_ROOT, s)),
  ]);
  assert.equal(result.stdout, "", result.stdout);
  assert.equal(result.code, 0, result.stderr);
});
