/**
 * Tells a dnsmasq to read its hosts files again: SIGHUP to the pid in its pid file. A pid file
 * outlives its dnsmasq, and the pid may since belong to another program, for which SIGHUP
 * could mean "exit": the signal goes only to a process that is dnsmasq (by /proc/PID/comm).
 */
import { readFile } from "node:fs/promises";

/** The pid of the running dnsmasq the pid file names; throws an Error saying why not. */
export async function dnsmasqPid(pidFile: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(pidFile, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "does not exist (is dnsmasq running?)" : (error as Error).message;
    throw new Error(`pid file ${pidFile} ${why}`, { cause: error });
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`pid file ${pidFile} holds no pid`);
  const comm = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => undefined);
  if (comm === undefined) {
    throw new Error(`pid file ${pidFile} is stale: process ${pid} is not running`);
  }
  if (comm.trim() !== "dnsmasq") {
    throw new Error(`pid file ${pidFile} is stale: process ${pid} is ${comm.trim()}, not dnsmasq`);
  }
  return pid;
}

/** Sends SIGHUP to the dnsmasq of `pidFile` (see the module comment). */
export async function reloadDnsmasq(pidFile: string): Promise<void> {
  const pid = await dnsmasqPid(pidFile);
  try {
    process.kill(pid, "SIGHUP");
  } catch (error) {
    throw new Error(`cannot signal dnsmasq (pid ${pid}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}
