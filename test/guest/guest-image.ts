/**
 * The Debian guest the real-guest test boots: built once by scripts/build-guest-image.sh and
 * cached outside the clone (keyed by the recipe), then copied for each boot so every boot
 * starts from a pristine first-boot disk.
 */
import { spawn } from "node:child_process";
import { chmod, copyFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "../helpers/daemon.js";
import { REPO_ROOT } from "../helpers/paths.js";

/** The cached image: a raw ext4 root file system and the kernel and initrd to boot it with. */
export interface GuestImage {
  readonly dir: string;
  readonly root: string;
  readonly kernel: string;
  readonly initrd: string;
}

const BUILD_SCRIPT = join(REPO_ROOT, "scripts", "build-guest-image.sh");

/**
 * Runs the build script (a no-op when the cache holds this recipe's image) for at most
 * `timeoutMs`; its progress goes to our stderr. Resolves with the image and whether it was built.
 */
export function guestImage(timeoutMs: number): Promise<{ image: GuestImage; built: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BUILD_SCRIPT, [], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      process.stderr.write(d);
    });
    // SIGTERM lets the script remove its half-built tree (its trap), SIGKILL if it lingers.
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 30_000).unref();
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const dir = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || dir === "") {
        reject(new Error(`${BUILD_SCRIPT} failed (exit ${code ?? signal}); see its output above`));
        return;
      }
      const image = {
        dir,
        root: join(dir, "root.img"),
        kernel: join(dir, "vmlinuz"),
        initrd: join(dir, "initrd.img"),
      };
      resolve({ image, built: stderr.includes("build-guest-image: built") });
    });
  });
}

/**
 * Copies the image into `dir` for one boot (libvirt hands the files to the qemu user, so the
 * cache is never changed by a guest). The root image is sparse: the copy takes seconds.
 */
export async function copyForBoot(image: GuestImage, dir: string, name: string) {
  const boot = {
    root: join(dir, `${name}.img`),
    kernel: join(dir, `${name}.vmlinuz`),
    initrd: join(dir, `${name}.initrd`),
  };
  await run("cp", ["--sparse=always", image.root, boot.root], 120_000);
  await copyFile(image.kernel, boot.kernel);
  await copyFile(image.initrd, boot.initrd);
  await chmod(dir, 0o755);
  return boot;
}
