/**
 * Reads files from the guest's disk image after it powered off, with debugfs (e2fsprogs):
 * no mount, no loop device, nothing that could outlive the test.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** The content of `path` in the ext4 image `image`, or undefined when there is no such file. */
export async function readGuestFile(image: string, path: string): Promise<string | undefined> {
  const { stdout, stderr } = await promisify(execFile)("debugfs", ["-R", `cat "${path}"`, image], {
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  // debugfs exits 0 either way; a missing file is only a message on stderr.
  if (/File not found|not found by ext2_lookup/.test(stderr)) return undefined;
  return stdout;
}

/** Like readGuestFile, but a missing file is an error that names it. */
export async function mustReadGuestFile(image: string, path: string): Promise<string> {
  const content = await readGuestFile(image, path);
  if (content === undefined) throw new Error(`the guest's disk has no ${path}`);
  return content;
}
