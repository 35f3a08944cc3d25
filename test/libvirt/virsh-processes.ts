/** The virsh processes a test's mdserver runs, found in /proc by their parents. */
import { readdirSync, readFileSync } from "node:fs";

/** A process as /proc shows it: parent, state letter and command name. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly state: string;
  readonly comm: string;
}

/** One process; undefined once it is gone. */
export function processInfo(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(ppid), state: state ?? "?", comm };
  } catch {
    return undefined;
  }
}

/** The running (not zombie) virsh processes descending from `root`, at any depth. */
export function virshUnder(root: number): number[] {
  const procs = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => processInfo(Number(name)) ?? [])
    .filter((p) => p.state !== "Z" && p.state !== "X");
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const under = (pid: number) => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 64; hops++) {
      if (p === root) return true;
      p = parent.get(p);
    }
    return false;
  };
  return procs.filter((p) => p.comm === "virsh" && under(p.pid)).map((p) => p.pid);
}
