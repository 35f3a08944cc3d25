/**
 * A real dnsmasq for a test: DNS only, on 127.0.0.1 at a free high port, answering from the
 * additional hosts files given (and nothing else: no /etc/hosts, no upstream servers). It runs
 * in the foreground (so it writes its pid file and stays the test's child) and is stopped by
 * its PID when the test ends. `dig` asks it.
 */
import { chmod } from "node:fs/promises";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { freePort } from "../../helpers/cli.js";
import { run, startDaemon, type Daemon } from "../../helpers/daemon.js";
import { eventually } from "../../helpers/eventually.js";

export interface TestDnsmasq {
  readonly port: number;
  readonly pidFile: string;
  readonly daemon: Daemon;
  /** The A (or AAAA) answers for `name`, as dig +short prints them. */
  lookup(name: string, type?: "A" | "AAAA"): Promise<string[]>;
  /** The PTR answers for `address`, without the final dot. */
  reverse(address: string): Promise<string[]>;
  /**
   * Waits until `name` resolves to `addresses` (none: no answer), within a few seconds: dnsmasq
   * reads its files again a moment after the signal.
   */
  expect(name: string, addresses: readonly string[]): Promise<void>;
  /** Waits until `address` resolves back to `names`. */
  expectReverse(address: string, names: readonly string[]): Promise<void>;
}

/** Waits until `ask` answers `expected` (in any order); fails with the last answer. */
async function settlesTo(what: string, ask: () => Promise<string[]>, expected: readonly string[]) {
  let last: string[] = [];
  const want = JSON.stringify([...expected].sort());
  await eventually(what, async () => JSON.stringify((last = await ask()).sort()) === want, {
    timeoutMs: 5000,
  }).catch((error: Error) => {
    throw new Error(`${error.message}: wanted ${want}, got ${JSON.stringify(last)}`);
  });
}

/** Asks a DNS server with dig; returns the answers, one per line. */
export async function dig(
  server: string,
  port: number,
  args: readonly string[],
): Promise<string[]> {
  const out = await run("dig", [
    `@${server}`,
    "-p",
    String(port),
    "+short",
    "+time=2",
    "+tries=2",
    ...args,
  ]);
  return out
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/**
 * Starts dnsmasq reading `hostsFiles`; its pid file goes in `dir`. The directory is opened to
 * everyone because dnsmasq drops root for user nobody before reading the files.
 */
export async function startDnsmasq(
  t: TestContext,
  dir: string,
  hostsFiles: readonly string[],
): Promise<TestDnsmasq> {
  await chmod(dir, 0o755);
  const pidFile = join(dir, "dnsmasq.pid");
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const daemon = startDaemon("dnsmasq", [
      "--keep-in-foreground",
      `--pid-file=${pidFile}`,
      `--port=${port}`,
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      "--no-resolv",
      "--no-hosts",
      "--log-facility=-",
      ...hostsFiles.map((file) => `--addn-hosts=${file}`),
    ]);
    t.after(() => daemon.stop());
    const started = await eventually("dnsmasq to answer", async () => {
      if (daemon.exited) return true;
      // Any answer (even "no such name") means it is up.
      return (
        (await dig("127.0.0.1", port, ["up.invalid"]).then(
          () => true,
          () => false,
        )) === true
      );
    }).then(() => !daemon.exited);
    if (!started) {
      // Another program took the port between our probe and dnsmasq's bind: try another.
      if (attempt < 5) continue;
      throw new Error(`dnsmasq did not start: ${daemon.lines.join(" | ")}`);
    }
    const lookup = (name: string, type = "A") => dig("127.0.0.1", port, [name, type]);
    const reverse = async (address: string) =>
      (await dig("127.0.0.1", port, ["-x", address])).map((n) => n.replace(/\.$/, ""));
    return {
      port,
      pidFile,
      daemon,
      lookup,
      reverse,
      expect: (name, addresses) =>
        settlesTo(`${name} → ${addresses.join(" ")}`, () => lookup(name), addresses),
      expectReverse: (address, names) =>
        settlesTo(`${address} ← ${names.join(" ")}`, () => reverse(address), names),
    };
  }
}
