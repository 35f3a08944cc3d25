/**
 * What the admin side costs: the per-request observation (metrics, fetch records) added to
 * every metadata answer, and building /metrics and the status report for a large host
 * (2,000 guests, each having fetched), which happen per scrape or page load, not per request.
 */
import { AdminMetrics } from "../src/admin/admin-metrics.js";
import { GuestActivity } from "../src/admin/guest-activity.js";
import { observeHandler } from "../src/admin/observe-handler.js";
import { renderStatusPage } from "../src/admin/status-page.js";
import { statusReport } from "../src/admin/status-report.js";
import type { Reply } from "../src/http/reply.js";
import type { Handler, Request } from "../src/http/request.js";
import type { Identity, Instance } from "../src/inventory/instance.js";

const GUESTS = 2000;
const instances: Instance[] = Array.from({ length: GUESTS }, (_, n) => ({
  name: `guest-${n}`,
  uuid: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  interfaces: [{ mac: "52:54:00:00:00:01", addresses: [`10.0.${n >> 8}.${n & 255}`] }],
  source: "libvirt qemu:///system",
}));
const byAddress = new Map<string, Identity>(
  instances.map((instance) => [
    instance.interfaces[0]?.addresses[0] ?? "",
    { instance, address: instance.interfaces[0]?.addresses[0] ?? "" },
  ]),
);

const reply: Reply = { status: 200, body: "guest", contentType: "text/plain" };
const bare: Handler = () => reply;
const metrics = new AdminMetrics(() => new Map([["libvirt qemu:///system", GUESTS]]));
const activity = new GuestActivity();
const observed = observeHandler(bare, {
  metrics,
  activity,
  frontendOf: () => "ec2",
  lookup: (client) => byAddress.get(client),
});
const requests: Request[] = [...byAddress.keys()].map((client) => ({
  method: "GET",
  path: "/latest/meta-data/hostname",
  segments: ["latest", "meta-data", "hostname"],
  headers: {},
  client,
}));

/** Median µs per call of `fn` over 7 rounds of `n` calls. */
function measure(n: number, fn: (i: number) => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    times.push(Number(process.hrtime.bigint() - start) / 1000 / n);
  }
  times.sort((a, b) => a - b);
  return times[3] as number;
}

async function measureAsync(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < n; r++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)] as number;
}

const n = 200_000;
const without = measure(n, (i) => bare(requests[i % GUESTS] as Request));
const withObserve = measure(n, (i) => observed(requests[i % GUESTS] as Request));
console.log(
  `per request: bare handler ${without.toFixed(2)} µs, observed ${withObserve.toFixed(2)} µs (+${(withObserve - without).toFixed(2)} µs)`,
);
const scrape = await measureAsync(21, () => metrics.render());
console.log(`/metrics render: ${scrape.toFixed(2)} ms`);
const origin = async () => ({ kind: "builtin" }) as const;
const status = await measureAsync(21, async () =>
  renderStatusPage(
    await statusReport({
      version: "bench",
      instances: () => instances,
      origin,
      activity,
      health: () => ({ ok: true, reasons: [] }),
    }),
  ),
);
console.log(`status page, ${GUESTS} guests (origins cached): ${status.toFixed(1)} ms`);
