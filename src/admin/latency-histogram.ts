/**
 * A Prometheus histogram with one label whose observe() is a map read and a few additions, for
 * the metadata request path: prom-client's Histogram validates and hashes its labels and
 * allocates on every observation. Registered in a prom-client registry, it is rendered there
 * exactly as a prom-client Histogram with the same name, label and buckets.
 */
import type { Metric, Registry } from "prom-client";

/** One line of the exposition, as prom-client's Histogram gives it (the series' label shared). */
interface Value {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly sharedLabels: Readonly<Record<string, string>>;
}

/** One label value's counts. */
interface Series {
  readonly label: Readonly<Record<string, string>>;
  /** Observations per bucket (not cumulative); the last one counts those over every bound. */
  readonly counts: number[];
  sum: number;
  count: number;
}

export class LatencyHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly buckets: readonly number[],
    registry: Registry,
  ) {
    // prom-client renders any object with this shape; its type names only its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  /** One observation (seconds) under `labelValue`. */
  observe(labelValue: string, value: number): void {
    let series = this.series.get(labelValue);
    if (series === undefined) {
      const counts = new Array<number>(this.buckets.length + 1).fill(0);
      series = { label: { [this.labelName]: labelValue }, counts, sum: 0, count: 0 };
      this.series.set(labelValue, series);
    }
    let bucket = 0;
    while (bucket < this.buckets.length && value > (this.buckets[bucket] as number)) bucket++;
    series.counts[bucket] = (series.counts[bucket] as number) + 1;
    series.sum += value;
    series.count += 1;
  }

  /** What the registry renders: prom-client's Histogram's values, in its order. */
  get(): { name: string; help: string; type: string; values: Value[]; aggregator: string } {
    const values: Value[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const { label, counts, sum, count } of this.series.values()) {
      let below = 0;
      this.buckets.forEach((le, i) => {
        below += counts[i] as number;
        values.push({ metricName: bucketName, labels: { le }, value: below, sharedLabels: label });
      });
      values.push({
        metricName: bucketName,
        labels: { le: "+Inf" },
        value: count,
        sharedLabels: label,
      });
      values.push({ metricName: `${this.name}_sum`, labels: {}, value: sum, sharedLabels: label });
      values.push({
        metricName: `${this.name}_count`,
        labels: {},
        value: count,
        sharedLabels: label,
      });
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }
}
