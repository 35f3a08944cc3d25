import assert from "node:assert/strict";
import { test } from "node:test";
import { Histogram, Registry } from "prom-client";
import { LatencyHistogram } from "./latency-histogram.js";

test("LatencyHistogram renders as prom-client's Histogram given the same observations", async () => {
  const buckets = [0.001, 0.01, 0.1];
  const ours = new Registry();
  const theirs = new Registry();
  const histogram = new LatencyHistogram("latency", "how long", "frontend", buckets, ours);
  const reference = new Histogram({
    name: "latency",
    help: "how long",
    labelNames: ["frontend"],
    buckets,
    registers: [theirs],
  });
  // On a bound, between bounds, over every bound, two label values, one with a quote.
  const observations: Array<[string, number]> = [
    ["ec2", 0.001],
    ["ec2", 0.0004],
    ['odd"one', 0.05],
    ["ec2", 7],
    ["ec2", 0.02],
  ];
  for (const [frontend, seconds] of observations) {
    histogram.observe(frontend, seconds);
    reference.observe({ frontend }, seconds);
  }
  const text = await ours.metrics();
  assert.equal(text, await theirs.metrics());
  assert.match(text, /^latency_bucket\{le="0.01",frontend="ec2"\} 2$/m);
  assert.match(text, /^latency_count\{frontend="odd\\"one"\} 1$/m);
});
