/**
 * mdserver with a real libvirtd, a real libvirt network (dnsmasq, real DHCP leases) and
 * stand-in guests: namespaces plugged into the network's bridge with their domain's MAC,
 * leased by busybox udhcpc, asking http://169.254.169.254/ like cloud-init does. mdserver runs
 * as `mdserver serve` inside the host namespace.
 *
 * mdserver reads no lease files here (base_dir is empty): libvirt's own lease API is its only
 * source of leases, so a guest leased after start-up is found by the miss refresh.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { MDS_NAMESPACE } from "../../src/inventory/domain-metadata.js";
import type { Identity } from "../../src/inventory/instance.js";
import { Inventory } from "../../src/inventory/inventory.js";
import { LibvirtSource } from "../../src/inventory/libvirt/libvirt-source.js";
import { silentLogger } from "../../src/log/logger.js";
import { run, startDaemon, type Daemon } from "../helpers/daemon.js";
import { eventually } from "../helpers/eventually.js";
import { SYSTEM_URI, TestLibvirtd } from "../helpers/libvirtd.js";
import { addGuest, createNetns, METADATA_ADDRESS, type Guest } from "../helpers/netns.js";
import { Teardown } from "../helpers/teardown.js";
import { tempDir } from "../helpers/test-server.js";
import { virshUnder } from "./virsh-processes.js";

const MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));

function networkXml(name: string, bridge: string, reservations: Array<[string, string]>): string {
  const hosts = reservations.map(([mac, ip]) => `<host mac="${mac}" ip="${ip}"/>`).join("");
  return `<network>
  <name>${name}</name>
  <bridge name="${bridge}" stp="off" delay="0"/>
  <ip address="10.213.0.1" netmask="255.255.255.0">
    <dhcp><range start="10.213.0.100" end="10.213.0.200"/>${hosts}</dhcp>
  </ip>
</network>`;
}

/** A domain that can start without disk or KVM: it is suspended right after starting. */
function domainXml(name: string, mac: string, network: string): string {
  return `<domain type="qemu">
  <name>${name}</name>
  <memory unit="MiB">32</memory>
  <os><type arch="x86_64">hvm</type></os>
  <devices>
    <interface type="network"><mac address="${mac}"/><source network="${network}"/></interface>
  </devices>
</domain>`;
}

/** Parsed JSON log lines of the mdserver child. */
function logs(server: Daemon): Array<Record<string, unknown>> {
  return server.lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** True for a logged event about `name` whose detail starts with `detail`. */
function isEvent(logged: unknown, name: string, detail: string): boolean {
  const event = logged as { name?: string; detail?: string } | undefined;
  return event?.name === name && (event.detail ?? "").startsWith(detail);
}

async function hostname(guest: Guest): Promise<string | number> {
  const res = await guest.get("/latest/meta-data/hostname");
  return res.status === 200 ? res.body : res.status;
}

/**
 * Counts, every 20 ms until stopped, the virsh processes running under `root`; stop() returns
 * the most seen at once.
 */
function countVirsh(root: number): { stop(): number } {
  let most = 0;
  const timer = setInterval(() => (most = Math.max(most, virshUnder(root).length)), 20);
  return { stop: () => (clearInterval(timer), most) };
}

/** Waits (briefly: an event, not a refresh, must do it) until a guest gets 404. */
function noLongerServed(guest: Guest, what: string): Promise<void> {
  return eventually(
    `${guest.ns}: ${what} to be dropped`,
    async () => (await hostname(guest)) === 404,
    {
      timeoutMs: 3000,
    },
  );
}

test("a real libvirtd: leases, events, unknown guests, libvirtd stopped, restarted and frozen", async (t) => {
  const teardown = new Teardown(t);
  const dir = await tempDir(t, "mdserver-libvirtd-");
  const id = randomBytes(2).toString("hex");
  const net = `mdst-${id}`;
  const bridge = `mdsbr-${id}`;
  const mac = (n: number) =>
    `52:54:00:${id.slice(0, 2)}:${id.slice(2)}:${n.toString(16).padStart(2, "0")}`;
  const domain = (n: number) => `${net}-d${n}`;

  const hostNs = await createNetns(teardown, `mdsh-${id}`);
  const libvirt = await TestLibvirtd.start(teardown, { ns: hostNs, dir });
  await libvirt.defineNetwork(teardown, net, networkXml(net, bridge, [[mac(2), "10.213.0.12"]]));
  await run("ip", ["-n", hostNs, "addr", "add", `${METADATA_ADDRESS}/32`, "dev", bridge]);
  for (const n of [1, 2, 3])
    await libvirt.defineDomain(teardown, domain(n), domainXml(domain(n), mac(n), net));
  const guests = new Map<number, Guest>();
  for (const n of [1, 2, 3, 4, 5]) {
    guests.set(
      n,
      await addGuest(teardown, { name: `mdsg${n}-${id}`, mac: mac(n), hostNs, bridge, dir }),
    );
  }
  const guest = (n: number) => guests.get(n)!;

  // Guest 1 holds a dynamic lease before mdserver starts.
  await guest(1).dhcp();

  await mkdir(join(dir, "userdata"));
  await mkdir(join(dir, "no-lease-files"));
  const conf = join(dir, "mdserver.conf");
  await writeFile(
    conf,
    `[mdserver]
listen_address = ${METADATA_ADDRESS}
port = 80
logfile = -
loglevel = debug
userdata_dir = ${join(dir, "userdata")}

[libvirt]
# uri: the default, qemu:///system (and instance_source: the default, libvirt)
timeout = 2

[dnsmasq]
net_name = ${net}
base_dir = ${join(dir, "no-lease-files")}
`,
  );
  const server = startDaemon("ip", [
    "netns",
    "exec",
    hostNs,
    process.execPath,
    MAIN,
    "serve",
    "--config",
    conf,
  ]);
  teardown.add("stop mdserver", () => server.stop());
  await eventually("mdserver to listen", () => {
    if (server.exited) throw new Error(server.lines.join("\n"));
    return logs(server).some((l) => l.msg === "listening");
  });
  const logged = (
    what: string,
    match: (l: Record<string, unknown>) => boolean,
    timeoutMs = 15_000,
  ) => eventually(what, () => logs(server).some(match), { timeoutMs });

  await t.test("a guest is known by its DHCP lease, and by its reservation", async () => {
    assert.equal(await hostname(guest(1)), domain(1));
    const uuid = (await libvirt.virsh("domuuid", domain(1))).trim();
    const instanceId = await guest(1).get("/latest/meta-data/instance-id");
    assert.equal(instanceId.body, `i-${uuid.replace(/-/g, "").slice(0, 17)}`);
    assert.equal(await guest(2).dhcp(), "10.213.0.12");
    assert.equal(await hostname(guest(2)), domain(2));
  });

  await t.test("a guest leased after start-up is found when it first asks", async () => {
    await guest(3).dhcp();
    assert.equal(await hostname(guest(3)), domain(3));
  });

  await t.test(
    "first load: a guest asking meanwhile is answered as soon as its own domain is read (ports)",
    async () => {
      // Every domain reply takes a second while `slow` exists; one domain per pass.
      const slow = join(dir, "slow");
      const wrapper = join(dir, "virsh-slow");
      await writeFile(
        wrapper,
        `#!/bin/sh
setpriv --pdeathsig KILL -- virsh "$@" | setpriv --pdeathsig KILL -- perl -e '
  while (sysread(STDIN, my $chunk, 65536)) {
    syswrite(STDOUT, $chunk);
    select(undef, undef, undef, 1) if $chunk =~ m{</domain>} && -e "${slow}";
  }'
`,
      );
      await chmod(wrapper, 0o755);
      await writeFile(slow, "");
      const source = new LibvirtSource({
        uri: SYSTEM_URI,
        virsh: wrapper,
        timeoutMs: 30_000,
        networks: [net],
        baseDir: join(dir, "no-lease-files"),
        refreshIntervalMs: 0,
        watch: false,
        log: silentLogger(),
        batch: 1,
      });
      const inventory = new Inventory([source], 0);
      try {
        const loaded = inventory.start();
        // Guest 2's reservation names its MAC; the network's ports name the domain owning it.
        const answer = await inventory.resolve("10.213.0.12");
        const servedThen = inventory.instances().length;
        await loaded;
        assert.equal(answer?.instance.name, domain(2));
        const all = inventory.instances().length;
        assert.equal(all, 3, "domains 1, 2 and 3 run, each with an address");
        assert.ok(servedThen < all, `answered when ${servedThen} of ${all} guests were known`);
      } finally {
        await inventory.stop();
        await rm(slow, { force: true });
      }
    },
  );

  await t.test("a <metadata> change takes effect without a restart (its event)", async () => {
    let published: Identity[] = [];
    const source = new LibvirtSource({
      uri: SYSTEM_URI,
      virsh: "virsh",
      timeoutMs: 10_000,
      networks: [net],
      baseDir: join(dir, "no-lease-files"),
      refreshIntervalMs: 0,
      watch: true,
      log: silentLogger(),
    });
    try {
      await source.start({ publish: (_id, identities) => (published = [...identities]) });
      const metadata = () =>
        published.find((i) => i.instance.name === domain(1))?.instance.metadataXml ?? "";
      assert.doesNotMatch(metadata(), /mdst-value/);
      await libvirt.virsh(
        ...["metadata", domain(1), "--uri", "https://mdserver.example/test", "--key", "mdst"],
        ...["--set", "<v>mdst-value</v>", "--live"],
      );
      await eventually("the new <metadata> to be published", () => /mdst-value/.test(metadata()), {
        timeoutMs: 5000,
      });
    } finally {
      await source.stop();
    }
  });

  await t.test(
    "virsh metadata under mdserver's namespace changes the served guest without a restart",
    async () => {
      await writeFile(
        join(dir, "userdata", `${domain(1)}.yaml`),
        "#cloud-config\nrole: {{get('role', 'none')}}\n",
      );
      await writeFile(join(dir, "userdata", "db.yaml"), "#cloud-config\ndb: {{role}}\n");
      const userData = async () => (await guest(1).get("/latest/user-data")).body;
      assert.equal(await userData(), "#cloud-config\nrole: none\n");
      const set = (xml: string) =>
        libvirt.virsh(
          ...["metadata", domain(1), "--uri", MDS_NAMESPACE, "--key", "mds"],
          ...["--set", xml, "--live"],
        );
      await set('<instance><value name="role">web</value><tag name="Tier">front</tag></instance>');
      await eventually(
        "the new value to be served",
        async () => /role: web/.test(await userData()),
        {
          timeoutMs: 5000,
        },
      );
      const tag = await guest(1).get("/latest/meta-data/tags/instance/Tier");
      assert.equal(tag.body, "front");
      await set('<instance><userdata>db.yaml</userdata><value name="role">db</value></instance>');
      await eventually(
        "the named file to be served",
        async () => (await userData()) === "#cloud-config\ndb: db\n",
        {
          timeoutMs: 5000,
        },
      );
      assert.equal((await guest(2).get("/latest/user-data")).body.includes("db:"), false);
    },
  );

  await t.test(
    "a domain defined while the server runs is served; stopped, at once no more; started, again",
    async () => {
      await libvirt.defineDomain(teardown, domain(4), domainXml(domain(4), mac(4), net));
      await guest(4).dhcp();
      assert.equal(await hostname(guest(4)), domain(4));
      // The address is known: only the Stopped event can take it away (no refresh runs for it).
      await libvirt.virsh("destroy", domain(4));
      await noLongerServed(guest(4), "its lease");
      assert.ok(
        logs(server).some(
          (l) => l.msg === "libvirt event" && isEvent(l.event, domain(4), "Stopped"),
        ),
      );
      // A reservation counts only while its domain runs: stopped, whoever asks from the
      // address is not that guest …
      await libvirt.virsh("destroy", domain(2));
      await noLongerServed(guest(2), "its reservation");
      // … started again, it is its own again.
      await libvirt.virsh("start", domain(2));
      await libvirt.virsh("suspend", domain(2));
      await eventually(
        "guest 2 to be served again",
        async () => (await hostname(guest(2))) === domain(2),
        { timeoutMs: 5000 },
      );
    },
  );

  await t.test(
    "libvirtd stopped: known guests still served, unknown ones answered at once; restarted: recovered",
    async () => {
      await libvirt.stop();
      const virsh = countVirsh(server.pid);
      await logged(
        "the lost events to be reported",
        (l) => l.level === "warn" && String(l.fault).startsWith("events:"),
      );
      assert.equal(await hostname(guest(1)), domain(1));
      await guest(5).dhcp();
      const asked = Date.now();
      assert.equal(await hostname(guest(5)), 404);
      assert.ok(Date.now() - asked < 2000, "an unknown guest does not wait for libvirt");
      // Guests keep asking meanwhile; nothing piles up.
      for (let i = 0; i < 10; i++) assert.equal(await hostname(guest(5)), 404);
      const most = virsh.stop();
      assert.ok(most <= 3, `${most} virsh at once (a session and two event streams at most)`);
      const back = Date.now();
      await libvirt.restart();
      await logged(
        "recovery",
        (l) => typeof l.msg === "string" && l.msg.startsWith("recovered: libvirt domain events"),
      );
      await logged("the view to be current again", (l) =>
        String(l.msg).startsWith("recovered: cannot read libvirt"),
      );
      // One backoff step (5 s at most) and one load of a few domains, on a busy machine.
      assert.ok(Date.now() - back < 15_000, `recovered ${Date.now() - back} ms after the restart`);
      await libvirt.defineDomain(teardown, domain(5), domainXml(domain(5), mac(5), net));
      await eventually("guest 5 to be known", async () => (await hostname(guest(5))) === domain(5));
      assert.equal(await hostname(guest(1)), domain(1));
    },
  );

  await t.test("libvirtd frozen: virsh times out, degraded; thawed: recovered", async () => {
    libvirt.freeze();
    const virsh = countVirsh(server.pid);
    try {
      // Guest 4 is unknown now: its request makes mdserver ask libvirt, which does not answer.
      assert.equal(await hostname(guest(4)), 404);
      await logged(
        "the time-out",
        (l) => l.fault === "connection" && /did not answer/.test(String(l.msg)),
      );
      assert.equal(await hostname(guest(1)), domain(1));
      // Retries time out one after another (2 s each, the backoff between): one virsh at a time.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      assert.equal(await hostname(guest(4)), 404);
    } finally {
      libvirt.thaw();
    }
    const most = virsh.stop();
    assert.ok(most <= 3, `${most} virsh at once (a session and two event streams at most)`);
    const thawed = Date.now();
    await logged(
      "recovery",
      (l) => l.fault === "connection" && String(l.msg).startsWith("recovered"),
    );
    // A time-out, one backoff step and one load.
    assert.ok(Date.now() - thawed < 15_000, `recovered ${Date.now() - thawed} ms after the thaw`);
    assert.equal(await hostname(guest(3)), domain(3));
  });

  const warnings = logs(server).filter((l) => l.level === "warn");
  const perFault = new Map<string, number>();
  for (const w of warnings) perFault.set(String(w.fault), (perFault.get(String(w.fault)) ?? 0) + 1);
  // Each outage logs its fault once, however many requests and retries met it.
  for (const [fault, count] of perFault) assert.ok(count <= 2, `${fault} logged ${count} times`);
});
