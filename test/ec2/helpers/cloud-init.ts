/** Runs the cloud-init driver scripts of test/ec2/python with Debian's /usr/bin/python3. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const SCRIPTS = fileURLToPath(new URL("../../../../test/ec2/python/", import.meta.url));
/** Only this interpreter imports Debian's cloud-init (not the python3 first on PATH). */
const PYTHON = "/usr/bin/python3";

/** One request a driver made: method, URL, status (or error), whether it sent a token. */
export type RecordedRequest = [
  method: string,
  url: string,
  status: number | string,
  token: boolean,
];

/** What every driver prints, besides its own fields. */
export interface DriverOutput {
  readonly requests: RecordedRequest[];
  /** cloud-init's debug log, for failure messages. */
  readonly log: string;
}

/** Runs `script` with `args` (passed as one JSON argument) and parses what it prints. */
export async function runDriver<T>(
  script: string,
  args: Record<string, unknown>,
): Promise<T & DriverOutput> {
  const { stdout, stderr } = await run(PYTHON, [`${SCRIPTS}${script}`, JSON.stringify(args)], {
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return { ...(JSON.parse(stdout) as T), log: stderr } as T & DriverOutput;
}
