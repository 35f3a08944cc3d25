/**
 * The status of every guest, as /status.json serves it and the status page and `mdserver
 * status` show it: who the guests are, what user-data each would get, what each last fetched
 * and with what status, its boot report, the server's health and the last errors.
 */
import type { BootReportSource } from "../boot-reports/boot-report.js";
import { identitiesOf, type Instance } from "../inventory/instance.js";
import { describeOrigin } from "../cli/describe-origin.js";
import type { UserdataOrigin } from "../userdata/userdata-service.js";
import type { Fetch, GuestActivity, RecentError } from "./guest-activity.js";
import type { Health } from "./health.js";

/** What a guest's boot report says, on its row. */
export interface BootSummary {
  /** When cloud-init finished (the report arrived), ms since the epoch. */
  readonly finishedAt: number;
  readonly hostname: string;
  readonly hostKeys: number;
}

/** One guest's row. */
export interface GuestStatus {
  readonly name: string;
  readonly uuid: string;
  readonly source: string;
  readonly addresses: readonly string[];
  readonly macs: readonly string[];
  /** The user-data file it would get, or "(built-in)" / "(none)". */
  readonly userdata: string;
  readonly metaData?: Fetch | undefined;
  readonly userData?: Fetch | undefined;
  /** null: no report yet; undefined: boot reports are not kept by this server. */
  readonly bootReport?: BootSummary | null | undefined;
}

/** The whole report (the body of /status.json). */
export interface StatusReport {
  readonly version: string;
  /** When it was made, ms since the epoch. */
  readonly generatedAt: number;
  readonly health: Health;
  readonly guests: readonly GuestStatus[];
  readonly errors: readonly RecentError[];
}

/** Where the report's parts come from. */
export interface StatusInputs {
  readonly version: string;
  instances(): readonly Instance[];
  origin(instance: Instance): Promise<UserdataOrigin>;
  readonly activity: GuestActivity;
  readonly bootReports?: BootReportSource | undefined;
  health(): Health;
}

/** Builds the report now. */
export async function statusReport(inputs: StatusInputs): Promise<StatusReport> {
  const { activity, bootReports } = inputs;
  const guests = await Promise.all(
    inputs.instances().map(async (instance): Promise<GuestStatus> => {
      const fetches = activity.of(instance.uuid);
      const report = bootReports?.get(instance.uuid);
      return {
        name: instance.name,
        uuid: instance.uuid,
        source: instance.source,
        addresses: instance.interfaces.flatMap((i) => i.addresses),
        macs: instance.interfaces.flatMap((i) => (i.mac === undefined ? [] : [i.mac])),
        userdata: describeOrigin(await inputs.origin(instance), "user-data"),
        metaData: fetches["meta-data"],
        userData: fetches["user-data"],
        bootReport:
          bootReports === undefined
            ? undefined
            : report === undefined
              ? null
              : {
                  finishedAt: report.receivedAt,
                  hostname: report.hostname,
                  hostKeys: report.hostKeys.length,
                },
      };
    }),
  );
  return {
    version: inputs.version,
    generatedAt: Date.now(),
    health: inputs.health(),
    guests,
    errors: activity.recentErrors(),
  };
}

/** The identity the user-data lookup uses for an instance: its first interface. */
export function firstIdentity(instance: Instance) {
  return (
    identitiesOf(instance)[0] ?? {
      instance,
      address: "",
      mac: instance.interfaces[0]?.mac,
    }
  );
}
