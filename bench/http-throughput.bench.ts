/**
 * Throughput of mdserver's request path against a bare node:http server, as ratios, because
 * absolute numbers on shared machines are noisy:
 *   - a hot meta-data leaf (/latest/meta-data/instance-id for a known guest),
 *   - rendered user-data (a template with a few substitutions),
 * each driven by wrk with the same threads, connections and duration, interleaved in rounds
 * within one run. A ratio is taken within each round (runs seconds apart share the machine's
 * load) and the median over rounds is reported. Every server is its own process (wrk takes the other core), and mdserver
 * logs every request to a file, as deployed. Goals: leaf >= 0.75x bare, user-data >= 0.5x.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const GOALS = { leaf: 0.75, userdata: 0.5 } as const;

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));
const BARE = fileURLToPath(new URL("./bare-server.js", import.meta.url));

const TEMPLATE = `#cloud-config
hostname: {{hostname}}
fqdn: {{hostname}}.{{domain}}
ssh_authorized_keys:
  - {{!public_key_default}}
write_files:
  - path: /etc/motd
    content: "{{greeting}} from {{hostname}}"
`;

function config(port: number, dir: string): string {
  return `[mdserver]
port = ${port}
listen_address = 127.0.0.1
logfile = ${join(dir, "mdserver.log")}
userdata_dir = ${join(dir, "userdata")}
instance_source = static
# wrk opens all its connections from one address: the per-client limits would refuse them.
max_client_connections = 64
client_rate = 0

[public-keys]
default = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchmarkKeyBenchmarkKeyBenchmarkKey bench@host

[template-data]
domain = example.org
greeting = welcome

[instance:bench]
ip = 127.0.0.1
mac = 52:54:00:be:0c:01
uuid = b0b0b0b0-1111-4222-8333-444455556666
`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

async function waitUntilUp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetchText(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not come up`);
}

/** Requests per second wrk measured for `url`. */
function wrk(url: string, seconds = SECONDS): number {
  const result = spawnSync("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, url], {
    encoding: "utf8",
  });
  if (result.error)
    throw new Error(`wrk: ${result.error.message} (install the Debian package wrk)`);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout);
  if (!match || /Non-2xx/.test(result.stdout))
    throw new Error(`wrk failed for ${url}:\n${result.stdout}${result.stderr}`);
  return Number(match[1]);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "mdserver-bench-"));
  const children: ChildProcess[] = [];
  try {
    mkdirSync(join(dir, "userdata"));
    writeFileSync(join(dir, "userdata", "bench.yaml"), TEMPLATE);
    const [barePort, mdPort] = [await freePort(), await freePort()];
    writeFileSync(join(dir, "mdserver.conf"), config(mdPort, dir));

    const bare = spawn(process.execPath, [BARE, String(barePort)], { stdio: "ignore" });
    const md = spawn(process.execPath, [MAIN, "serve", "--config", join(dir, "mdserver.conf")], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(bare, md);
    const targets = {
      bare: `http://127.0.0.1:${barePort}/latest/meta-data/instance-id`,
      leaf: `http://127.0.0.1:${mdPort}/latest/meta-data/instance-id`,
      userdata: `http://127.0.0.1:${mdPort}/latest/user-data`,
    };
    await waitUntilUp(targets.bare, bare);
    await waitUntilUp(targets.leaf, md);
    const leaf = await fetchText(targets.leaf);
    const userdata = await fetchText(targets.userdata);
    if (leaf.status !== 200 || !/^i-b0b0b0b0/.test(leaf.body))
      throw new Error(`leaf: ${leaf.status} ${leaf.body}`);
    if (userdata.status !== 200 || !userdata.body.includes('"welcome from bench"')) {
      throw new Error(`user-data not rendered: ${userdata.status} ${userdata.body}`);
    }

    // Warm up each (JIT, caches), then interleave the measured runs so drift hits all alike.
    for (const url of Object.values(targets)) wrk(url, 1);
    const samples = { bare: [] as number[], leaf: [] as number[], userdata: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, url] of Object.entries(targets) as Array<[keyof typeof samples, string]>) {
        samples[name].push(wrk(url));
      }
    }

    const ratios = (name: "leaf" | "userdata") =>
      samples[name].map((rate, round) => rate / (samples.bare[round] ?? Number.NaN));
    const row = (name: string, rates: readonly number[], ratio: number, goal?: number) => {
      const verdict =
        goal === undefined
          ? ""
          : ratio >= goal
            ? `goal >= ${goal}: met`
            : `goal >= ${goal}: MISSED`;
      const rate = median(rates).toFixed(0).padStart(9);
      return `${name.padEnd(34)} ${rate} req/s  ${ratio.toFixed(2).padStart(5)}x  ${verdict}`;
    };
    const logBytes = statSync(join(dir, "mdserver.log")).size;
    process.stdout.write(
      [
        `wrk -t1 -c${CONNECTIONS}, ${ROUNDS} rounds of ${SECONDS} s each: median req/s, median of per-round ratios`,
        row("bare node:http (constant string)", samples.bare, 1),
        row("mdserver meta-data/instance-id", samples.leaf, median(ratios("leaf")), GOALS.leaf),
        row(
          "mdserver user-data (template)",
          samples.userdata,
          median(ratios("userdata")),
          GOALS.userdata,
        ),
        ...(["bare", "leaf", "userdata"] as const).map(
          (name) => `  ${name} per round: ${samples[name].map(Math.round).join(", ")}`,
        ),
        `mdserver access log written: ${(logBytes / 1e6).toFixed(1)} MB`,
        "",
      ].join("\n"),
    );
  } finally {
    for (const child of children) child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `http-throughput: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
