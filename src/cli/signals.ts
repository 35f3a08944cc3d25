/**
 * What `mdserver serve` does with each signal an operator (or a careless script) may send:
 * SIGTERM and SIGINT stop it (in-flight requests are answered first), SIGUSR1 reopens the
 * log (the packaged logrotate sends it), SIGHUP is `hangup` (serve.ts: reload the config,
 * which reopens the log too), and every other signal whose default would kill the process is ignored
 * with a log line. A listener for SIGUSR1 also keeps Node.js from opening its inspector (a
 * debugger any local user could attach to) on 127.0.0.1:9229.
 */
import type { Logger } from "../log/logger.js";

/** Signals that would end the process by default and mean nothing to mdserver. */
export const IGNORED_SIGNALS: readonly NodeJS.Signals[] = [
  "SIGUSR2",
  "SIGQUIT",
  "SIGPIPE",
  "SIGALRM",
  "SIGTRAP",
  "SIGVTALRM",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGPOLL",
  "SIGPWR",
  "SIGSTKFLT",
  "SIGSYS",
];

/** Installs the handlers; returns a function that removes them all. */
export function handleSignals(
  log: Logger,
  actions: { reopenLog(): void; hangup(): void },
): () => void {
  const installed: Array<[NodeJS.Signals, () => void]> = [
    ["SIGUSR1", actions.reopenLog],
    ["SIGHUP", actions.hangup],
    ...IGNORED_SIGNALS.map((signal): [NodeJS.Signals, () => void] => [
      signal,
      () => log.warn({ signal }, "signal ignored"),
    ]),
  ];
  for (const [signal, handler] of installed) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of installed) process.off(signal, handler);
  };
}
