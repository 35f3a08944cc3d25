/** What the packaging tests share: building the packages, and checking an installed mdserver. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { mustRun } from "./command.js";
import { inNetns } from "./netns.js";
import { REPO_ROOT } from "./paths.js";
import { tempDir } from "./test-server.js";

/** The program's version, as package.json and `mdserver --version` give it. */
export const VERSION: string = (
  JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** The same version as the packages spell it ("1.0.0-dev" → "1.0.0~dev"). */
export const PACKAGE_VERSION = VERSION.replaceAll("-", "~");

/** Builds the .deb or .rpm with the repository's own script; returns the file's path. */
export async function buildPackage(t: TestContext, kind: "deb" | "rpm"): Promise<string> {
  const dir = await tempDir(t, `mdserver-${kind}-`);
  const { stdout } = await mustRun(join(REPO_ROOT, `packaging/build-${kind}.sh`), [dir], 180_000);
  const file = stdout.trim().split("\n").at(-1);
  if (file === undefined || !file.startsWith(dir)) throw new Error(`no package in: ${stdout}`);
  return file;
}

/** A configuration an operator could write: one static guest, 127.0.0.1, on port 80. */
export const SERVICE_CONFIG = `[mdserver]
listen_address = 127.0.0.1
instance_source = static

[instance:demo]
ip = 127.0.0.1
mac = 52:54:00:00:00:01
`;

/** The capabilities the unit and the init script leave: NET_BIND_SERVICE, KILL, NET_ADMIN. */
export const SERVICE_CAPABILITIES = (1n << 10n) | (1n << 5n) | (1n << 12n);

/** Who a process runs as, and with which effective capabilities, from /proc/PID/status. */
export function processIdentity(status: string): { uid: number; capabilities: bigint } {
  const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
  const capabilities = /^CapEff:\s+([0-9a-f]+)/m.exec(status)?.[1];
  if (uid === undefined || capabilities === undefined) throw new Error(`not a status: ${status}`);
  return { uid: Number(uid), capabilities: BigInt(`0x${capabilities}`) };
}

/** A guest's hostname, fetched the way cloud-init would, from `from` inside `netns`. */
export async function fetchHostname(netns: string, from = "127.0.0.1"): Promise<string> {
  const url = "http://127.0.0.1/latest/meta-data/hostname";
  return inNetns(netns, "curl", ["-sf", "-m", "5", "--interface", from, url]);
}
