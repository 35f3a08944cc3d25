import assert from "node:assert/strict";
import { test } from "node:test";
import { pino } from "pino";
import type { Instance } from "../inventory/instance.js";
import type { DnsBackend, DnsProblems } from "./dns-backend.js";
import { DnsManager } from "./dns-manager.js";
import type { DnsRecord } from "./dns-records.js";

const naming = { prefix: null, domain: null, entry_order: ["base"] as const };
const guest = (name: string, address: string): Instance => ({
  name,
  uuid: name,
  source: "static",
  interfaces: [{ addresses: [address] }],
});

/** A backend that keeps what it was asked, holds each sync until released, fails on demand. */
class HeldBackend implements DnsBackend {
  readonly synced: string[][] = [];
  failing: string | undefined;
  private release: (() => void) | undefined;
  hold = false;

  async sync(records: readonly DnsRecord[]): Promise<DnsProblems> {
    if (this.hold) await new Promise<void>((resolve) => (this.release = resolve));
    this.synced.push(records.map((r) => `${r.address} ${r.names.join(" ")}`));
    const problems: DnsProblems = new Map();
    if (this.failing) problems.set("hosts: write", { message: this.failing, degrading: true });
    return problems;
  }

  async check(): Promise<string[]> {
    return [];
  }

  letGo(): void {
    this.hold = false;
    this.release?.();
  }
}

function logged(): { log: pino.Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: "info" }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { log, lines };
}

test("changes during a slow sync are coalesced into one more sync, of the latest view", async () => {
  const backend = new HeldBackend();
  const manager = new DnsManager(backend, naming, logged().log);
  backend.hold = true;
  manager.listener([guest("a", "10.0.0.1")]);
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 2; i <= 100; i++) manager.listener([guest("a", `10.0.0.${i}`)]);
  backend.letGo();
  await manager.idle();
  assert.deepEqual(backend.synced, [["10.0.0.1 a"], ["10.0.0.100 a"]]);
});

test("a fault is logged once, shows in health, and is retried without a change", async () => {
  const backend = new HeldBackend();
  const { log, lines } = logged();
  const manager = new DnsManager(backend, naming, log, undefined, 20);
  backend.failing = "cannot write it: EROFS";
  manager.listener([guest("a", "10.0.0.1")]);
  await manager.idle();
  assert.deepEqual(manager.health(), {
    ok: false,
    problem: "cannot write it: EROFS",
    lastSuccess: undefined,
  });
  manager.listener([guest("a", "10.0.0.2")]);
  await manager.idle();
  backend.failing = undefined;
  // No change comes: the retry timer syncs again.
  for (let i = 0; i < 100 && !manager.health().ok; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(manager.health().ok, true);
  assert.equal(backend.synced.length, 3);
  assert.deepEqual(
    lines.map((l) => l.msg),
    ["cannot write it: EROFS", "recovered: cannot write it: EROFS"],
  );
  await manager.stop();
});

test("stop waits for the sync under way and starts no other", async () => {
  const backend = new HeldBackend();
  const manager = new DnsManager(backend, naming, logged().log);
  backend.hold = true;
  manager.listener([guest("a", "10.0.0.1")]);
  await new Promise((resolve) => setImmediate(resolve));
  manager.listener([guest("b", "10.0.0.2")]);
  const stopped = manager.stop();
  backend.letGo();
  await stopped;
  assert.deepEqual(backend.synced, [["10.0.0.1 a"]]);
  manager.listener([guest("c", "10.0.0.3")]);
  await manager.idle();
  assert.equal(backend.synced.length, 1);
});
