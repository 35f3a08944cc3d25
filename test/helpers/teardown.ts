/**
 * Clean-up steps run in reverse order of registration, every one of them even when an
 * earlier one fails, so a failing test still leaves no namespace, process or libvirt object.
 */
import type { TestContext } from "node:test";

/** Clean-up steps of one test. */
export class Teardown {
  private readonly steps: Array<{ what: string; run: () => Promise<unknown> | unknown }> = [];

  /** Registers the teardown to run when the test ends. */
  constructor(t: TestContext) {
    t.after(() => this.run());
  }

  /** Adds a step; steps run last-added first. */
  add(what: string, run: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, run });
  }

  /** Runs every step (once); throws at the end if any failed. */
  async run(): Promise<void> {
    const failures: string[] = [];
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        failures.push(`${step.what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`clean-up failed:\n${failures.join("\n")}`);
  }
}
