/**
 * A real libvirtd (and virtlogd, for started domains) inside a network namespace the test
 * created, without systemd: both run in the foreground as children of the test, found by
 * their PID. libvirt's state is global to the machine, so this refuses to start when another
 * libvirtd answers, and undefines everything it defined, even when the test fails.
 *
 * /dev/kvm exists on these machines but cannot run a guest; libvirtd seeing it re-probes
 * qemu on every define (~30 s). In a private mount namespace a root-only character device is
 * bound over it, which the qemu user cannot open, so libvirt settles on emulation (TCG).
 */
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run, startDaemon, type Daemon } from "./daemon.js";
import { eventually } from "./eventually.js";
import type { Teardown } from "./teardown.js";

/** The URI of the system libvirtd. */
export const SYSTEM_URI = "qemu:///system";

/** Where libvirtd runs and keeps its scratch files. */
export interface LibvirtdOptions {
  /** The network namespace to run in (its networks' bridges and dnsmasq live there). */
  readonly ns: string;
  /** A scratch directory for XML files and the stand-in /dev/kvm. */
  readonly dir: string;
}

/** A libvirtd (and virtlogd) this test started, and what it defined there. */
export class TestLibvirtd {
  private libvirtd: Daemon | undefined;
  private virtlogd: Daemon | undefined;

  private constructor(private readonly options: LibvirtdOptions) {}

  /** Starts libvirtd and virtlogd; both are stopped at teardown, after the objects are gone. */
  static async start(teardown: Teardown, options: LibvirtdOptions): Promise<TestLibvirtd> {
    await holdMachineLock(teardown);
    if (await answers()) {
      throw new Error("a libvirtd already runs on this machine; the system tests need their own");
    }
    await ensureQemuUser();
    await run("mknod", ["-m", "600", join(options.dir, "no-kvm"), "c", "1", "3"]);
    const daemon = new TestLibvirtd(options);
    teardown.add("stop libvirtd and virtlogd", () => daemon.stopAll());
    daemon.virtlogd = startDaemon("ip", ["netns", "exec", options.ns, "virtlogd"]);
    await daemon.startLibvirtd();
    return daemon;
  }

  /** Runs virsh on the system URI. */
  virsh(...args: string[]): Promise<string> {
    return run("virsh", ["-c", SYSTEM_URI, ...args]);
  }

  /** Stops libvirtd alone (dnsmasq and guests keep running, as on a real restart). */
  async stop(): Promise<void> {
    await this.libvirtd?.stop();
    this.libvirtd = undefined;
  }

  /** Starts libvirtd again after stop(). */
  async restart(): Promise<void> {
    await this.startLibvirtd();
  }

  /** Freezes libvirtd (SIGSTOP): it keeps its sockets but answers nothing. */
  freeze(): void {
    this.libvirtd?.signal("SIGSTOP");
  }

  thaw(): void {
    this.libvirtd?.signal("SIGCONT");
  }

  /** Defines and starts a network; at teardown it is destroyed and undefined. */
  async defineNetwork(teardown: Teardown, name: string, xml: string): Promise<void> {
    const file = join(this.options.dir, `net-${name}.xml`);
    await writeFile(file, xml);
    teardown.add(`remove network ${name}`, () => this.removeNetwork(name));
    await this.virsh("net-define", file);
    await this.virsh("net-start", name);
  }

  /**
   * Defines a domain; with `start`, starts it and suspends it at once (it holds its place as
   * an active domain without using CPU). At teardown it is destroyed and undefined.
   */
  async defineDomain(teardown: Teardown, name: string, xml: string, start = true): Promise<void> {
    const file = join(this.options.dir, `dom-${name}.xml`);
    await writeFile(file, xml);
    teardown.add(`remove domain ${name}`, () => this.removeDomain(name));
    await this.virsh("define", file);
    if (start) {
      await this.virsh("start", name);
      await this.virsh("suspend", name);
    }
  }

  /** Destroys (if running) and undefines a domain, and removes its qemu log. */
  async removeDomain(name: string): Promise<void> {
    await this.ensureRunning();
    const state = await this.virsh("domstate", name).catch(() => undefined);
    if (state !== undefined && !/shut off/.test(state)) await this.virsh("destroy", name);
    if (state !== undefined) await this.virsh("undefine", name);
    await rm(`/var/log/libvirt/qemu/${name}.log`, { force: true });
  }

  private async removeNetwork(name: string): Promise<void> {
    await this.ensureRunning();
    await this.virsh("net-destroy", name).catch(() => undefined);
    await this.virsh("net-undefine", name).catch(() => undefined);
    // dnsmasq writes this pid file itself, and libvirt leaves it (and a ports directory)
    // behind. If libvirtd could not stop dnsmasq, stop it by that PID: it must not outlive us.
    const pidFile = `/run/libvirt/network/${name}.pid`;
    if (existsSync(pidFile)) {
      const pid = Number((await readFile(pidFile, "utf8")).trim());
      const comm = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "");
      if (pid > 0 && comm.trim() === "dnsmasq") process.kill(pid, "SIGTERM");
    }
    await rm(pidFile, { force: true });
    await rm(`/run/libvirt/network/${name}`, { recursive: true, force: true });
  }

  private async startLibvirtd(): Promise<void> {
    const hide = `[ -e /dev/kvm ] && mount --bind ${join(this.options.dir, "no-kvm")} /dev/kvm; exec libvirtd`;
    this.libvirtd = startDaemon("ip", [
      "netns",
      "exec",
      this.options.ns,
      "unshare",
      "-m",
      "sh",
      "-c",
      hide,
    ]);
    const daemon = this.libvirtd;
    await eventually(
      "libvirtd to answer",
      async () => {
        if (daemon.exited)
          throw new Error(`libvirtd exited: ${daemon.lines.slice(-5).join(" | ")}`);
        return answers();
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  private async ensureRunning(): Promise<void> {
    if (this.libvirtd === undefined || this.libvirtd.exited) await this.startLibvirtd();
    this.thaw();
  }

  private async stopAll(): Promise<void> {
    await this.libvirtd?.stop();
    await this.virtlogd?.stop();
  }
}

/** Where test libvirtds queue for the machine (libvirt's sockets and state are global). */
const LOCK_FILE = "/run/lock/mdserver-test-libvirtd.lock";
/** Longest wait for another run's libvirtd test (a real guest boot holds it for minutes). */
const LOCK_WAIT_S = 1800;

/**
 * Takes the machine-wide lock for a test libvirtd, released at teardown. Several checkouts
 * (and their test runs) may share one machine, but only one libvirtd can own /run/libvirt.
 * The lock is held by a flock(1) child that dies with us (parent-death signal), so a killed
 * test run never leaves the lock taken.
 */
async function holdMachineLock(teardown: Teardown): Promise<void> {
  const holder = startDaemon("setpriv", [
    "--pdeathsig",
    "KILL",
    "--",
    "flock",
    "--exclusive",
    "--no-fork",
    "--timeout",
    String(LOCK_WAIT_S),
    LOCK_FILE,
    "sh",
    "-c",
    "echo locked; exec sleep 100000",
  ]);
  teardown.add("release the test libvirtd lock", () => holder.stop());
  const deadline = Date.now() + (LOCK_WAIT_S + 5) * 1000;
  while (!holder.lines.includes("locked")) {
    if (holder.exited || Date.now() > deadline) {
      throw new Error(`cannot take ${LOCK_FILE}: ${holder.lines.join(" | ") || "timed out"}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** True when a libvirtd answers on the system socket. */
async function answers(): Promise<boolean> {
  return run("virsh", ["-c", SYSTEM_URI, "uri"], 5000).then(
    () => true,
    () => false,
  );
}

/** The user and groups libvirt's qemu driver runs guests as (Debian's defaults). */
async function ensureQemuUser(): Promise<void> {
  for (const group of ["kvm", "libvirt-qemu"]) {
    await run("getent", ["group", group]).catch(() => run("groupadd", ["--system", group]));
  }
  await run("getent", ["passwd", "libvirt-qemu"]).catch(() =>
    run("useradd", [
      "--system",
      "--no-create-home",
      "--home-dir",
      "/var/lib/libvirt",
      "--shell",
      "/usr/sbin/nologin",
      "-g",
      "libvirt-qemu",
      "-G",
      "kvm",
      "libvirt-qemu",
    ]),
  );
}
