/**
 * What a guest reported when cloud-init finished (its phone_home POST), as kept and shown:
 * the status page and `mdserver status` read reports through BootReportSource, and
 * `mdserver known-hosts` turns their host keys into known_hosts lines.
 */

/** One ssh host key a guest reported, e.g. { type: "ssh-ed25519", key: "AAAA…" }. */
export interface HostKey {
  readonly type: string;
  readonly key: string;
}

/** The last report of one guest. */
export interface BootReport {
  /** The domain UUID of the guest that posted it (identified by its source address). */
  readonly uuid: string;
  /** The instance name when the report arrived. */
  readonly name: string;
  /** The address it posted from. */
  readonly address: string;
  /** What the guest said its instance-id and hostname were. */
  readonly instanceId: string;
  readonly hostname: string;
  /** When it arrived (ms since the epoch): when cloud-init finished on the guest. */
  readonly receivedAt: number;
  readonly hostKeys: readonly HostKey[];
}

/** Read access to the reports kept (the admin side and the CLI read through this). */
export interface BootReportSource {
  /** Every kept report, newest first. */
  all(): readonly BootReport[];
  /** The report of one guest, by UUID. */
  get(uuid: string): BootReport | undefined;
}
