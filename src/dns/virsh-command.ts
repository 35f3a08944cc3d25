/**
 * One-shot virsh commands on a read-write connection, for the libvirt DNS mode. The inventory
 * reads libvirt through long-lived read-only sessions (virsh -r); changing a network's DNS
 * needs write access, and happens only when guests change, so each command is its own virsh.
 */
import { execFile } from "node:child_process";

/** How to run virsh. */
export interface VirshSettings {
  readonly virsh: string;
  readonly timeoutMs: number;
}

/** Runs `virsh -q -c URI ARGS…`; resolves with its output, or rejects with virsh's own error. */
export function virshCommand(
  settings: VirshSettings,
  uri: string,
  args: readonly string[],
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      settings.virsh,
      ["-q", "-c", uri, ...args],
      // Unlocalised messages (callers read them); no readline history for one-shot commands.
      {
        timeout: settings.timeoutMs,
        killSignal: "SIGKILL",
        env: { ...process.env, LC_ALL: "C", VIRSH_HISTSIZE: "0" },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const said = stderr
          .trim()
          .replace(/^error: /gm, "")
          .replace(/\n/g, "; ");
        const why = error.killed
          ? `did not answer within ${settings.timeoutMs} ms`
          : said || error.message;
        reject(new Error(`virsh ${args[0] ?? ""} on ${uri}: ${why}`, { cause: error }));
      },
    );
  });
}
