/** A logger for commands (not the service): warnings as plain lines on stderr. */
import { pino } from "pino";
import type { Logger } from "../log/logger.js";

/** Sources' faults as plain "warning: …" lines on stderr: this is a command, not a service. */
export function warningsToStderr(): Logger {
  return pino(
    { level: "warn" },
    {
      write: (line: string) => {
        const { msg } = JSON.parse(line) as { msg: string };
        process.stderr.write(`warning: ${msg}\n`);
      },
    },
  );
}
