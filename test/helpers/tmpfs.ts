/**
 * A small tmpfs of the test's own (a full disk, a read-only directory, on demand), mounted
 * on a fresh temporary directory; unmounted and removed when the test ends, pass or fail.
 */
import { mkdtemp, rmdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { run } from "./daemon.js";
import { Teardown } from "./teardown.js";

export interface Tmpfs {
  readonly dir: string;
  /** Remounts it read-only (true) or read-write (false). */
  readOnly(on: boolean): Promise<void>;
}

/**
 * Mounts a tmpfs of `size` (e.g. "1m"), readable by everyone (dnsmasq runs as nobody). Pass
 * `teardown` to add steps that must run before the unmount (stopping a process that holds a
 * file open there), since a Teardown runs its steps last-added first.
 */
export async function mountTmpfs(
  t: TestContext,
  size: string,
  teardown: Teardown = new Teardown(t),
): Promise<Tmpfs> {
  const dir = await mkdtemp(join(tmpdir(), "mdserver-tmpfs-"));
  teardown.add(`remove ${dir}`, () => rmdir(dir));
  await run("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0755`, "mdserver-test", dir]);
  teardown.add(`unmount ${dir}`, () => run("umount", [dir]));
  return {
    dir,
    readOnly: async (on) => {
      await run("mount", ["-o", `remount,${on ? "ro" : "rw"}`, dir]);
    },
  };
}
