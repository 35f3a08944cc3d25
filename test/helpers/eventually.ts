/** Waits for a condition that becomes true asynchronously, for a bounded time. */

/**
 * Calls `probe` every `intervalMs` until it returns true; throws after `timeoutMs` with
 * `what` (and the last probe's error, if it threw).
 */
export async function eventually(
  what: string,
  probe: () => Promise<boolean> | boolean,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let attempt = 0; attempt < 100_000; attempt++) {
    try {
      if (await probe()) return;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const because = last instanceof Error ? `: ${last.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${because}`);
}
