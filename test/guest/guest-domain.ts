/**
 * The libvirt domain of the real guest: software emulation (domain type "qemu": a Linux guest
 * dies under KVM on these machines, REFERENCE.md §5), booted straight from the cached kernel and
 * initrd, one virtio disk, one interface on the test's network, the serial console logged to a
 * file for diagnostics. A reboot or power-off ends the domain, so "shut off" means finished.
 * One vCPU: with two, a guest on a heavily loaded host once stalled for good (RCU stalls, "timer
 * wakeup didn't happen" on the starved vCPU, no DHCP within 10 minutes); one took as long.
 */

/** Where the guest's files are and what identifies it. */
export interface GuestDomain {
  readonly name: string;
  readonly uuid: string;
  readonly mac: string;
  readonly network: string;
  readonly root: string;
  readonly kernel: string;
  readonly initrd: string;
  /** The serial console's log file. */
  readonly console: string;
}

/** The domain XML: no identity for cloud-init yet (see guest-setup.ts). */
export function guestDomainXml(guest: GuestDomain): string {
  return `<domain type="qemu">
  <name>${guest.name}</name>
  <uuid>${guest.uuid}</uuid>
  <memory unit="MiB">1024</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch="x86_64">hvm</type>
    <kernel>${guest.kernel}</kernel>
    <initrd>${guest.initrd}</initrd>
    <cmdline>root=/dev/vda rw console=ttyS0</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type="file" device="disk">
      <driver name="qemu" type="raw"/>
      <source file="${guest.root}"/>
      <target dev="vda" bus="virtio"/>
    </disk>
    <interface type="network">
      <mac address="${guest.mac}"/>
      <source network="${guest.network}"/>
      <model type="virtio"/>
    </interface>
    <serial type="pty"><log file="${guest.console}" append="off"/></serial>
    <rng model="virtio"><backend model="random">/dev/urandom</backend></rng>
  </devices>
</domain>
`;
}
