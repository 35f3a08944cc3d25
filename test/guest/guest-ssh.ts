/**
 * ssh to the guest from inside the test's network namespace, as the image's default user with
 * the test's key: the way a user would reach a freshly configured guest.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "../helpers/daemon.js";
import { inNetns } from "../helpers/netns.js";

/** The default user of Debian's cloud-init configuration. */
export const GUEST_USER = "debian";

/** A key pair made for this test run. */
export interface SshKey {
  readonly file: string;
  readonly publicKey: string;
}

/** Makes an ed25519 key pair (no passphrase) in `dir`. */
export async function makeSshKey(dir: string): Promise<SshKey> {
  const file = join(dir, "id_ed25519");
  await run("ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "mdserver-guest-test",
    "-f",
    file,
  ]);
  return { file, publicKey: (await readFile(`${file}.pub`, "utf8")).trim() };
}

/** Runs `command` on the guest; rejects when ssh or the command fails (bounded in time). */
export function sshGuest(ns: string, key: SshKey, address: string, command: string) {
  return inNetns(
    ns,
    "ssh",
    [
      "-F",
      "/dev/null",
      "-i",
      key.file,
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      "UserKnownHostsFile=/dev/null",
      "-o",
      "LogLevel=ERROR",
      "-o",
      "ConnectTimeout=5",
      `${GUEST_USER}@${address}`,
      command,
    ],
    30_000,
  );
}
