/**
 * What a user-data template costs: compiling (bottle's text rules, parsing) versus rendering,
 * for a typical cloud-config template and one 10× longer, and the worst a template can cost
 * within the engine's limits (a loop that runs into the step limit, output at the size limit).
 * The service renders once per guest identity and template text; this says whether compiling
 * per rendering matters (e.g. 2,000 guests sharing one default_template after a restart).
 */
import { readFileSync } from "node:fs";
import { TemplateCache } from "../src/userdata/template-cache.js";
import { compileTemplate } from "../src/userdata/template/compile-template.js";
import { fixture } from "../test/helpers/paths.js";

const typical = readFileSync(fixture("bottle/render/realistic-cloud-config.tpl"), "utf8");
const values = new Map<string, string | Record<string, string>>([
  ["hostname", "web-01"],
  ["mdserver_password", "$6$salt$hash"],
  ["keys", { a: "ssh-ed25519 AAA a@h", b: "ssh-rsa BBB b@h" }],
]);

/** Median µs per call of `fn` over `rounds` rounds of `n` calls. */
function measure(n: number, rounds: number, fn: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    times.push(Number(process.hrtime.bigint() - start) / 1000 / n);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

function report(name: string, source: string, n: number): void {
  const compiled = compileTemplate(source, "t");
  const compile = measure(n, 7, () => compileTemplate(source, "t"));
  const render = measure(n, 7, () => compiled.render(values));
  console.log(
    `${name.padEnd(28)} ${String(source.length).padStart(6)} chars  compile ${compile.toFixed(1).padStart(7)} µs  render ${render.toFixed(1).padStart(7)} µs  (compile = ${(compile / render).toFixed(1)}× render)`,
  );
}

report("typical cloud-config", typical, 2000);
report("10 × typical", typical.repeat(10), 200);

// 2,000 guests sharing one template, as after a restart with one default_template: compiling
// for each guest, or once through the service's TemplateCache.
const GUESTS = 2000;
const perGuest = measure(1, 5, () => {
  for (let g = 0; g < GUESTS; g++) compileTemplate(typical, "t").render(values);
});
const cached = measure(1, 5, () => {
  const cache = new TemplateCache();
  for (let g = 0; g < GUESTS; g++) cache.get(typical, "t").render(values);
});
console.log(
  `${GUESTS} guests, one template: compiled per guest ${(perGuest / 1000).toFixed(0)} ms, cached ${(cached / 1000).toFixed(0)} ms`,
);

function worst(name: string, source: string): void {
  const start = process.hrtime.bigint();
  let outcome = "rendered";
  try {
    compileTemplate(source, "t").render(values);
  } catch (error) {
    outcome = (error as Error).message.replace(/^t:\d+:\d+: /, "");
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${outcome}`);
}

worst("loop to the step limit", "% for i in range(100000000):\n% x = i\n% end\n");
worst("output to the size limit", "% for i in range(1000000):\n{{ 'x' * 20 }}\n% end\n");
worst("unclosed {{ + 1 MB", `{{${"a".repeat(1_000_000)}`);
