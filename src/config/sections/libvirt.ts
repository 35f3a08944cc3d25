/** The [libvirt] section (added by this project): how to reach libvirt through virsh. */
import { z } from "zod";
import { integer, list, text } from "../values.js";

export const libvirtSection = z
  .object({
    /** One connection URI or several: one mdserver can serve the guests of several hosts. */
    uri: list().default(["qemu:///system"]),
    virsh: text.default("virsh"),
    /** Seconds a virsh command may take before it is abandoned and the session restarted. */
    timeout: integer(1, 600, "seconds").default(10),
    /** Seconds between safety refreshes of everything; 0 turns them off. */
    refresh_interval: integer(0, 86400, "seconds").default(300),
    /**
     * Seconds between re-reads of the DHCP leases; 0 turns them off. libvirt sends no event
     * when a lease changes: for a remote URI (no lease files to watch) this bounds how long an
     * address released by one running guest and leased to another still names the first.
     */
    lease_refresh_interval: integer(0, 86400, "seconds").default(10),
    /** Least number of milliseconds between two refreshes caused by an unknown client. */
    // At least 100 ms: unknown clients must not be able to keep libvirt busy.
    miss_refresh_interval: integer(100, 60000, "milliseconds").default(1000),
  })
  .strict();

export type LibvirtConfig = z.output<typeof libvirtSection>;
