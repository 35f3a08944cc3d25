/**
 * The host side of the real-guest test, all inside a network namespace the test creates: a real
 * libvirtd (test/helpers/libvirtd.ts: /dev/kvm hidden, machine-wide lock), a NAT libvirt network
 * (libvirt's default kind: its dnsmasq announces the bridge as router, so the guest's default
 * route reaches 169.254.169.254, which sits on the bridge; nothing leaves the namespace, which
 * has no other link), and mdserver (the built CLI) serving there on port 80 with a user-data
 * template.
 *
 * Not an isolated network with a DHCP option 121 route to the metadata address: measured with
 * this guest (Debian 12, cloud-init 22.4), the Ec2 datasource then fails in cloud-init's network
 * stage. It re-crawls with an ephemeral DHCP lease (boot-legacy event) and appends the option's
 * route, which ifupdown's dhclient has already added: "RTNETLINK answers: File exists", the init
 * stage fails, no user, no ssh keys, sshd without host keys. (OpenStack mode was measured to
 * work there: its ephemeral lease is taken in the local stage only.)
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { MDSERVER_BIN } from "../helpers/cli.js";
import { run, startDaemon, type Daemon } from "../helpers/daemon.js";
import { eventually } from "../helpers/eventually.js";
import { TestLibvirtd } from "../helpers/libvirtd.js";
import { createNetns, METADATA_ADDRESS } from "../helpers/netns.js";
import type { Teardown } from "../helpers/teardown.js";
import { writeFiles } from "../helpers/test-server.js";

/** The running host side. */
export interface GuestHost {
  readonly ns: string;
  readonly libvirt: TestLibvirtd;
  readonly network: string;
  readonly mdserver: Daemon;
  /** The value the user-data template writes into the marker file. */
  readonly marker: string;
  /** mdserver's config file (`mdserver guest-setup` reads the libvirt URI from it). */
  readonly config: string;
  /** mdserver's boot-report state file. */
  readonly bootReports: string;
}

/** Where the user-data template makes the guest write the marker. */
export const MARKER_FILE = "/var/lib/mdserver-test-marker";

const BRIDGE_ADDRESS = "10.214.0.1";

function networkXml(name: string, bridge: string): string {
  return `<network>
  <name>${name}</name>
  <forward mode="nat"/>
  <bridge name="${bridge}" stp="off" delay="0"/>
  <ip address="${BRIDGE_ADDRESS}" netmask="255.255.255.0">
    <dhcp><range start="10.214.0.100" end="10.214.0.200"/></dhcp>
  </ip>
</network>
`;
}

/**
 * The test's user-data: hostname, the test key, and a marker from a template value. The last
 * lines skip the slowest work of a first boot that has nothing to do with mdserver (measured
 * under emulation on a loaded machine: 83 s generating RSA, DSA and ECDSA host keys, 12 s
 * printing them, 11 s grub-dpkg): what a user would put in for a quick throwaway guest.
 */
const USERDATA_TEMPLATE = `#cloud-config
hostname: {{hostname}}
fqdn: {{hostname}}.guest.test
ssh_authorized_keys:
  - {{!public_key_test}}
write_files:
  - path: ${MARKER_FILE}
    content: "{{marker}}\\n"
ssh_genkeytypes: [ed25519]
ssh:
  emit_keys_to_console: false
grub_dpkg:
  enabled: false
`;

function mdserverConfig(dir: string, network: string, publicKey: string, marker: string) {
  return `[mdserver]
listen_address = ${METADATA_ADDRESS}
port = 80
logfile = -
userdata_dir = ${join(dir, "userdata")}
boot_reports_file = ${join(dir, "boot-reports.json")}
default_template = guest.yaml

[public-keys]
test = ${publicKey}

[template-data]
marker = ${marker}

[dnsmasq]
net_name = ${network}
`;
}

/** Starts the host side in `dir`; everything is removed by `teardown`. */
export async function startGuestHost(
  teardown: Teardown,
  dir: string,
  publicKey: string,
): Promise<GuestHost> {
  const id = randomBytes(2).toString("hex");
  const network = `mdsgn-${id}`;
  const bridge = `mdsgbr-${id}`;
  const marker = `configured-by-mdserver-${randomBytes(6).toString("hex")}`;
  const ns = await createNetns(teardown, `mdsgh-${id}`);
  const libvirt = await TestLibvirtd.start(teardown, { ns, dir });
  await libvirt.defineNetwork(teardown, network, networkXml(network, bridge));
  await run("ip", ["-n", ns, "addr", "add", `${METADATA_ADDRESS}/32`, "dev", bridge]);

  await writeFiles(dir, {
    "mdserver.conf": mdserverConfig(dir, network, publicKey, marker),
    "userdata/guest.yaml": USERDATA_TEMPLATE,
  });
  const mdserver = startDaemon("ip", [
    "netns",
    "exec",
    ns,
    process.execPath,
    MDSERVER_BIN,
    "serve",
    "--config",
    join(dir, "mdserver.conf"),
  ]);
  teardown.add(`stop mdserver (pid ${mdserver.pid})`, () => mdserver.stop());
  await eventually("mdserver to listen", () => {
    if (mdserver.exited) throw new Error(`mdserver exited:\n${mdserver.lines.join("\n")}`);
    return mdserver.lines.some((line) => line.includes('"msg":"listening"'));
  });
  return {
    ...{ ns, libvirt, network, mdserver, marker },
    config: join(dir, "mdserver.conf"),
    bootReports: join(dir, "boot-reports.json"),
  };
}
