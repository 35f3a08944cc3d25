/**
 * The boot reports mdserver keeps: the last one of each guest (by domain UUID), in memory for
 * readers and in the state file for restarts and upgrades. Bounded: a report is small by
 * construction (see phone-home-form.ts), and the whole set is held to a number of reports and
 * of bytes, the oldest going first. Writes are coalesced (one in flight, one more pending),
 * so a guest posting in a loop costs one write at a time, never a queue of them.
 */
import type { Logger } from "../log/logger.js";
import type { BootReport, BootReportSource } from "./boot-report.js";
import { loadBootReports, saveBootReports } from "./boot-report-file.js";

/** How much is kept at most. */
export interface BootReportLimits {
  readonly reports: number;
  /** Of the file's JSON, roughly (the sum of the reports' sizes). */
  readonly bytes: number;
}

/** About 1 KiB a guest as phone_home posts; at most ~13 KiB for a report with the longest keys. */
export const LIMITS: BootReportLimits = { reports: 10_000, bytes: 16 * 1024 * 1024 };

const sizeOf = (report: BootReport): number => JSON.stringify(report).length;

/** The kept reports (see the module comment). */
export class BootReportStore implements BootReportSource {
  /** By UUID, in the order they arrived (the newest last). */
  private readonly reports = new Map<string, BootReport>();
  private bytes = 0;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private failing = false;

  private constructor(
    private readonly file: string,
    private readonly log: Logger,
    private readonly limits: BootReportLimits,
  ) {}

  /**
   * The store of `file`, with what it holds. A file that cannot be read as boot reports is
   * logged and replaced at the next report: losing reports costs a known_hosts line, not service.
   */
  static async open(file: string, log: Logger, limits = LIMITS): Promise<BootReportStore> {
    const store = new BootReportStore(file, log, limits);
    let loaded: BootReport[] = [];
    try {
      loaded = await loadBootReports(file);
    } catch (error) {
      log.warn({ file, err: String(error) }, "boot reports not read; starting without them");
    }
    // The file is newest first: put them back oldest first, in arrival order.
    for (const report of loaded.reverse()) store.put(report);
    return store;
  }

  all(): readonly BootReport[] {
    return [...this.reports.values()].reverse();
  }

  get(uuid: string): BootReport | undefined {
    return this.reports.get(uuid);
  }

  /** Keeps `report` as its guest's last one and saves it in the background. */
  record(report: BootReport): void {
    this.put(report);
    this.save();
  }

  /** Drops the reports of guests not in `defined` (domains undefined meanwhile); true if any went. */
  keepOnly(defined: ReadonlySet<string>): boolean {
    let dropped = false;
    for (const [uuid, report] of this.reports) {
      if (defined.has(uuid)) continue;
      this.remove(uuid);
      dropped = true;
      this.log.info({ uuid, instance: report.name }, "boot report dropped: domain undefined");
    }
    if (dropped) this.save();
    return dropped;
  }

  /** Resolves when what was recorded so far is written (or its write failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private put(report: BootReport): void {
    this.remove(report.uuid);
    this.reports.set(report.uuid, report);
    this.bytes += sizeOf(report);
    // Map order is arrival order: the first entries are the oldest.
    for (const [uuid] of this.reports) {
      if (this.reports.size <= this.limits.reports && this.bytes <= this.limits.bytes) break;
      this.remove(uuid);
    }
  }

  private remove(uuid: string): void {
    const old = this.reports.get(uuid);
    if (old === undefined) return;
    this.reports.delete(uuid);
    this.bytes -= sizeOf(old);
  }

  private save(): void {
    this.dirty = true;
    if (this.writing) return;
    this.writing = (async () => {
      while (this.dirty) {
        this.dirty = false;
        try {
          await saveBootReports(this.file, this.all());
          if (this.failing) this.log.info({ file: this.file }, "boot reports saved again");
          this.failing = false;
        } catch (error) {
          // Logged once until it works again; the next report tries again.
          if (!this.failing)
            this.log.error({ file: this.file, err: error }, "cannot save boot reports");
          this.failing = true;
        }
      }
    })().finally(() => {
      this.writing = undefined;
    });
  }
}
