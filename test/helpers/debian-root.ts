/**
 * A throwaway Debian 13 root for the packaging tests. The root itself (debootstrap minbase with
 * mdserver's dependencies, test/packaging/debian-root.sh) is built once per machine and cached
 * outside the clone, in /var/cache/mdserver-test/, keyed by that script and the mirror. Each test
 * gets an overlay of it, mounted in a mount namespace held by a child that dies with the test
 * run: nothing stays mounted on the host, and the cached root never changes.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mustRun, runCommand, type CommandResult } from "./command.js";
import { startDaemon, type Daemon } from "./daemon.js";
import { REPO_ROOT } from "./paths.js";
import type { Teardown } from "./teardown.js";

const CACHE_DIR = "/var/cache/mdserver-test";
const RECIPE = join(REPO_ROOT, "test/packaging/debian-root.sh");
/** Building the root downloads ~150 MB and takes 3-5 minutes; another run may be at it. */
const BUILD_TIMEOUT_S = 1500;
/** What commands in the root find: the root's own tools, never the host's environment. */
const ROOT_ENV = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8"];

/** The Debian archive mirror this machine's apt uses (/etc/apt/sources.list*). */
export function debianMirror(): string {
  const files = ["/etc/apt/sources.list"];
  if (existsSync("/etc/apt/sources.list.d")) {
    for (const name of readdirSync("/etc/apt/sources.list.d").sort()) {
      if (/\.(list|sources)$/.test(name)) files.push(join("/etc/apt/sources.list.d", name));
    }
  }
  for (const file of files.filter((f) => existsSync(f))) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      // One-line style ("deb [options] URI suite...") or deb822 ("URIs: URI...").
      const uris =
        /^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line)?.[1] ?? /^URIs:(.*)/i.exec(line)?.[1];
      const archive = uris?.split(/\s+/).find((uri) => /\/debian\/?$/.test(uri));
      if (archive) return archive;
    }
  }
  throw new Error("no Debian archive (a URI ending in /debian) in /etc/apt/sources.list*");
}

/** The cached root's directory, built first if this machine has none for this recipe. */
export async function cachedDebianRoot(): Promise<string> {
  const mirror = debianMirror();
  const key = createHash("sha256")
    .update(`${readFileSync(RECIPE, "utf8")}\n${mirror}`)
    .digest("hex")
    .slice(0, 16);
  const target = join(CACHE_DIR, `debian-trixie-${key}`);
  if (existsSync(target)) return target;
  await mkdir(CACHE_DIR, { recursive: true });
  // One build at a time on this machine; a run that waited for another finds the root built.
  await mustRun(
    "flock",
    ["--exclusive", "--timeout", String(BUILD_TIMEOUT_S), join(CACHE_DIR, ".lock")].concat([
      "sh",
      "-c",
      '[ -d "$2" ] || "$1" "$3" "$2"',
      "sh",
      RECIPE,
      target,
      mirror,
    ]),
    2 * BUILD_TIMEOUT_S * 1000,
  );
  return target;
}

/** Mounts the overlay and /proc in the holder's namespace, then holds it. */
const HOLD = `set -e
mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/merged"
mount -t proc proc "$2/merged/proc"
echo ready
exec sleep 100000`;

/** A writable copy of the cached root, gone when the test ends. */
export class DebianRoot {
  private constructor(
    private readonly holder: Daemon,
    /** The root's directory, as mounted in the holder's namespace. */
    readonly dir: string,
  ) {}

  /** Mounts a fresh overlay of the cached root; unmounted and removed at teardown. */
  static async create(teardown: Teardown): Promise<DebianRoot> {
    const lower = await cachedDebianRoot();
    const dir = await mkdtemp(join(tmpdir(), "mdserver-debian-root-"));
    teardown.add(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
    for (const sub of ["upper", "work", "merged"]) await mkdir(join(dir, sub));
    const holder = startDaemon("setpriv", [
      "--pdeathsig",
      "KILL",
      "--",
      "unshare",
      "--mount",
      "--propagation",
      "private",
      "sh",
      "-c",
      HOLD,
      "sh",
      lower,
      dir,
    ]);
    teardown.add("unmount the Debian root", () => holder.stop());
    const deadline = Date.now() + 30_000;
    while (!holder.lines.includes("ready")) {
      if (holder.exited || Date.now() > deadline) {
        throw new Error(`cannot mount the Debian root: ${holder.lines.join(" | ")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return new DebianRoot(holder, join(dir, "merged"));
  }

  /** The PID of a process in the root's mount namespace (for nsenter). */
  get namespacePid(): number {
    return this.holder.pid;
  }

  /** Where the host reaches `path` of the root (through the holder's view of its mounts). */
  path(path: string): string {
    return `/proc/${this.holder.pid}/root${this.dir}${path}`;
  }

  /** Runs a command in the root (chroot, clean environment), in `netns` if given. */
  run(
    args: readonly string[],
    options: { readonly netns?: string; readonly timeoutMs?: number } = {},
  ): Promise<CommandResult> {
    const net = options.netns === undefined ? [] : [`--net=/run/netns/${options.netns}`];
    return runCommand(
      "nsenter",
      ["-t", String(this.holder.pid), "-m", ...net, "--", "chroot", this.dir].concat([
        "/usr/bin/env",
        "-i",
        ...ROOT_ENV,
        ...args,
      ]),
      options.timeoutMs,
    );
  }

  /** run(), throwing with the output unless the command exits 0. */
  async mustRun(
    args: readonly string[],
    options: { readonly netns?: string; readonly timeoutMs?: number } = {},
  ): Promise<CommandResult> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(`in the Debian root, ${args.join(" ")} exited ${result.code}:
${result.stdout}${result.stderr}`);
    }
    return result;
  }
}
