/**
 * What /metrics exports, in Prometheus text format through prom-client. Each running server has
 * a registry of its own (tests start several in one process; prom-client's global one would
 * mix them). The request path counts in plain numbers (prom-client's labelled metrics hash their
 * labels on every call): requests per frontend and status are handed to prom-client when
 * scraped, and latencies go to a LatencyHistogram.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Counter as CounterType, Histogram as HistogramType } from "prom-client";
import { LatencyHistogram } from "./latency-histogram.js";

/** The instances each source knows now (read when scraped). */
export type InstancesBySource = () => ReadonlyMap<string, number>;

/** Request latency buckets in seconds: answers are usually well under a millisecond. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** A libvirt pass reads a few objects or a batch of 256 domains. */
const PASS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class AdminMetrics {
  readonly registry = new Registry();
  /** Requests not yet handed to prom-client, by frontend and status. */
  private readonly answered = new Map<string, Map<number, number>>();
  private readonly latency: LatencyHistogram;
  private readonly tokens: CounterType;
  private readonly templateErrors: CounterType;
  private readonly bootReports: CounterType;
  private readonly passes: CounterType<"source">;
  private readonly passFailures: CounterType<"source">;
  private readonly passDuration: HistogramType<"source">;

  constructor(instances: InstancesBySource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "mdserver_process_" });
    const answered = this.answered;
    new Counter({
      name: "mdserver_requests_total",
      help: "Metadata requests answered, by frontend and HTTP status",
      labelNames: ["frontend", "status"],
      registers,
      collect() {
        for (const [frontend, byStatus] of answered) {
          for (const [status, count] of byStatus) {
            if (count > 0) this.inc({ frontend, status: String(status) }, count);
            byStatus.set(status, 0);
          }
        }
      },
    });
    this.latency = new LatencyHistogram(
      "mdserver_request_duration_seconds",
      "Time from a metadata request to its answer, by frontend",
      "frontend",
      LATENCY_BUCKETS,
      this.registry,
    );
    new Gauge({
      name: "mdserver_instances",
      help: "Instances known now, by source",
      labelNames: ["source"],
      registers,
      collect() {
        this.reset();
        for (const [source, count] of instances()) this.set({ source }, count);
      },
    });
    this.passes = new Counter({
      name: "mdserver_libvirt_refreshes_total",
      help: "Passes of a libvirt connection's reconcile loop (each reads what changed)",
      labelNames: ["source"],
      registers,
    });
    this.passFailures = new Counter({
      name: "mdserver_libvirt_refresh_failures_total",
      help: "Passes that failed (libvirt away, hung or virsh gone)",
      labelNames: ["source"],
      registers,
    });
    this.passDuration = new Histogram({
      name: "mdserver_libvirt_refresh_duration_seconds",
      help: "How long a pass of a libvirt connection's reconcile loop took",
      labelNames: ["source"],
      buckets: PASS_BUCKETS,
      registers,
    });
    this.tokens = new Counter({
      name: "mdserver_tokens_issued_total",
      help: "IMDSv2 session tokens issued",
      registers,
    });
    this.templateErrors = new Counter({
      name: "mdserver_template_errors_total",
      help: "user-data requests that failed on a template error",
      registers,
    });
    this.bootReports = new Counter({
      name: "mdserver_boot_reports_total",
      help: "Boot reports (cloud-init phone_home) accepted",
      registers,
    });
  }

  /** One answered metadata request. */
  request(frontend: string, status: number, seconds: number): void {
    let byStatus = this.answered.get(frontend);
    if (byStatus === undefined) this.answered.set(frontend, (byStatus = new Map()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.latency.observe(frontend, seconds);
  }

  /** One pass of a libvirt source's loop, and whether it failed. */
  libvirtPass(source: string, seconds: number, ok: boolean): void {
    this.passes.inc({ source });
    // Adding 0 makes the series exist before the first failure: a rate over it then works.
    this.passFailures.inc({ source }, ok ? 0 : 1);
    this.passDuration.observe({ source }, seconds);
  }

  tokenIssued(): void {
    this.tokens.inc();
  }

  templateError(): void {
    this.templateErrors.inc();
  }

  /** For the boot-report store: one report accepted. */
  bootReportReceived(): void {
    this.bootReports.inc();
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
