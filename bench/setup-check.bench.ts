/**
 * The set-up check behind `mdserver list` and the start-up log (src/setup/setup-check.ts): one
 * read-only virsh session reading every domain's definition, on 1,000 and 10,000 domains of
 * libvirt's test driver. It runs in the background after the server listens, so this is how
 * long the warnings take to appear, not a delay to any answer. Median of 3 runs.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../src/config/parse-config.js";
import { checkSetup } from "../src/setup/setup-check.js";
import { writeGeneratedNode } from "../test/helpers/generated-node.js";
import { median } from "./serve-child.js";

const dir = await mkdtemp(join(tmpdir(), "mdserver-bench-setup-"));
try {
  process.stdout.write("domains  check (median of 3)  not set up\n");
  for (const domains of [1000, 10_000]) {
    const uri = await writeGeneratedNode(dir, domains);
    const { config } = parseConfig(
      join(dir, "mdserver.conf"),
      `[libvirt]\nuri = ${uri}\ntimeout = 60\n[dnsmasq]\nnet_name = mds\n`,
    );
    const times: number[] = [];
    let flagged = 0;
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const [found] = await checkSetup(config);
      times.push(performance.now() - started);
      if (found?.problem !== undefined) throw new Error(found.problem);
      flagged = found?.notSetUp.length ?? 0;
    }
    process.stdout.write(
      `${String(domains).padStart(7)}  ${`${(median(times) / 1000).toFixed(2)} s`.padStart(19)}  ${flagged}\n`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
