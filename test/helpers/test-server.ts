/**
 * Starts a real mdserver on loopback for a test, from config text and user-data files written
 * to a fresh temporary directory; stops it and removes the directory when the test ends.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TestContext } from "node:test";
import { loadConfig } from "../../src/config/load-config.js";
import type { BootReportSource } from "../../src/boot-reports/boot-report.js";
import type { Config } from "../../src/config/config.js";
import type { InstanceSource } from "../../src/inventory/source.js";
import { silentLogger, type Logger } from "../../src/log/logger.js";
import type { Timeouts } from "../../src/http/http-server.js";
import { startMdserver, type RunningMdserver } from "../../src/mdserver.js";
import { send, type TestRequest, type TestResponse } from "./http-client.js";

export interface TestServer {
  readonly dir: string;
  readonly config: Config;
  readonly port: number;
  readonly server: RunningMdserver;
  /** GET (or another method) from a guest address. */
  request(path: string, options?: Omit<TestRequest, "port" | "path">): Promise<TestResponse>;
}

/** Makes a temporary directory removed after the test. */
export async function tempDir(t: TestContext, prefix = "mdserver-test-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `files` (relative path → content) under `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

export interface StartOptions {
  /** Files to create next to mdserver.conf, e.g. { "userdata/vm1.yaml": "..." }. */
  readonly files?: Record<string, string>;
  readonly sources?: readonly InstanceSource[];
  readonly timeouts?: Timeouts;
  /** Logger for the server (default: silent). */
  readonly log?: Logger;
  /** Boot reports for the status page. */
  readonly bootReports?: BootReportSource;
}

/**
 * Writes `configText` as mdserver.conf in a temporary directory (listen_address should be
 * 127.0.0.1; any port is replaced by a free one) and starts the server.
 */
export async function startTestServer(
  t: TestContext,
  configText: string,
  options: StartOptions = {},
): Promise<TestServer> {
  const dir = await tempDir(t);
  await writeFiles(dir, { "mdserver.conf": configText, ...options.files });
  await mkdir(join(dir, "userdata"), { recursive: true });
  const { config } = await loadConfig(join(dir, "mdserver.conf"));
  const server = await startMdserver(config, options.log ?? silentLogger(), {
    port: 0,
    adminPort: 0,
    sources: options.sources,
    timeouts: options.timeouts,
    bootReports: options.bootReports,
  });
  t.after(() => server.close());
  const port = server.bound[0]?.port ?? 0;
  return {
    dir,
    config,
    port,
    server,
    request: (path, opts = {}) => send({ ...opts, port, path }),
  };
}
