import assert from "node:assert/strict";
import { test } from "node:test";
import { LibvirtReplyError, parseDomainXml, parseNetworkXml, parsePortXml } from "./libvirt-xml.js";

// Trimmed from `virsh dumpxml` of a running qemu domain (libvirt 9.0).
const RUNNING = `<domain type='qemu' id='3'>
  <name>web&apos;s 1</name>
  <uuid>D8C2922A-1330-4D21-9AA3-F59AC2723F92</uuid>
  <metadata>
    <app:x xmlns:app="https://example.org/app">keep &amp; <b>this</b></app:x>
  </metadata>
  <os>
    <type arch='aarch64' machine='virt'>hvm</type>
  </os>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:EE:00:11'/>
      <source network='mds' portid='55ea438e-e804-47ef-9dcd-56e17ea2d8a9' bridge='mdsbr0'/>
      <target dev='vnet0'/>
    </interface>
    <interface type='bridge'>
      <mac address='52:54:00:ee:00:12'/>
      <source bridge='br0'/>
    </interface>
    <interface type='network'>
      <source network='nomac'/>
    </interface>
  </devices>
</domain>
`;

test("a running domain: name, UUID, architecture, interfaces with MAC and network, metadata", () => {
  const info = parseDomainXml(RUNNING);
  assert.equal(info.name, "web's 1");
  assert.equal(info.uuid, "d8c2922a-1330-4d21-9aa3-f59ac2723f92");
  assert.equal(info.active, true);
  assert.equal(info.architecture, "aarch64");
  assert.deepEqual(info.interfaces, [
    { mac: "52:54:00:ee:00:11", network: "mds" },
    { mac: "52:54:00:ee:00:12", network: undefined },
  ]);
  assert.match(
    info.metadataXml ?? "",
    /^<metadata>\s*<app:x xmlns:app="https:\/\/example.org\/app">keep &amp; <b>this<\/b><\/app:x>\s*<\/metadata>$/,
  );
});

test("a shut-off domain has no id; one interface is not made a list of characters", () => {
  const info = parseDomainXml(`<domain type='kvm'>
  <name>off</name>
  <uuid>11111111-2222-4333-8444-555555555555</uuid>
  <devices><interface type='network'><mac address='52:54:00:00:00:01'/><source network='mds'/></interface></devices>
</domain>`);
  assert.equal(info.active, false);
  assert.equal(info.metadataXml, undefined);
  assert.equal(info.architecture, undefined);
  assert.deepEqual(info.interfaces, [{ mac: "52:54:00:00:00:01", network: "mds" }]);
});

test("what is not a usable domain is refused, not half-read", () => {
  const rows: Array<[string, RegExp]> = [
    ["", /no <domain>/],
    ["error: failed to get domain", /no <domain>/],
    [RUNNING.slice(0, RUNNING.indexOf("</devices>")), /malformed/],
    [RUNNING.replace("<name>web&apos;s 1</name>", "<name>x</nam>"), /malformed/],
    ["<domain><uuid>11111111-2222-4333-8444-555555555555</uuid></domain>", /without a <name>/],
    ["<domain><name>x</name><uuid>nope</uuid></domain>", /bad <uuid>/],
  ];
  for (const [xml, message] of rows) {
    assert.throws(
      () => parseDomainXml(xml),
      (e: unknown) => e instanceof LibvirtReplyError && message.test(e.message),
      xml,
    );
  }
});

test("bridge and IPv4 reservations; IPv6 hosts without a MAC are left out", () => {
  const info = parseNetworkXml(`<network>
  <name>mds</name>
  <bridge name='mdsbr0' stp='on' delay='0'/>
  <ip address='10.0.0.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='10.0.0.100' end='10.0.0.200'/>
      <host mac='52:54:00:AA:00:01' name='one' ip='10.0.0.11'/>
      <host mac='52:54:00:aa:00:02' ip='10.0.0.12'/>
      <host name='nomac' ip='10.0.0.13'/>
    </dhcp>
  </ip>
  <ip family='ipv6' address='fd00::1' prefix='64'>
    <dhcp><host id='0:3:0:1:0:16:3e:11:22:33' name='v6' ip='FD00::11'/></dhcp>
  </ip>
</network>`);
  assert.equal(info.name, "mds");
  assert.equal(info.bridge, "mdsbr0");
  assert.deepEqual(info.reservations, [
    { mac: "52:54:00:aa:00:01", address: "10.0.0.11" },
    { mac: "52:54:00:aa:00:02", address: "10.0.0.12" },
  ]);
});

test("a network with one <ip> and one <host>, or none", () => {
  const one = parseNetworkXml(
    `<network><name>n</name><ip address='10.0.0.1'><dhcp><host mac='52:54:00:00:00:01' ip='10.0.0.5'/></dhcp></ip></network>`,
  );
  assert.deepEqual(one.reservations, [{ mac: "52:54:00:00:00:01", address: "10.0.0.5" }]);
  const none = parseNetworkXml(`<network><name>n</name><forward mode='bridge'/></network>`);
  assert.deepEqual(none, { name: "n", bridge: undefined, reservations: [] });
});

test("a reply that is not a network is refused", () => {
  assert.throws(() => parseNetworkXml("<network><name>n</name>"), LibvirtReplyError);
  assert.throws(() => parseNetworkXml("<network></network>"), LibvirtReplyError);
});

test("a network port: the MAC plugged in and the UUID of the domain owning it", () => {
  // As `virsh net-port-dumpxml` prints it (libvirt 9.0).
  const port = parsePortXml(`<networkport>
  <uuid>55ea438e-e804-47ef-9dcd-56e17ea2d8a9</uuid>
  <owner>
    <name>web</name>
    <uuid>D8C2922A-1330-4D21-9AA3-F59AC2723F92</uuid>
  </owner>
  <mac address='52:54:00:EE:00:11'/>
  <plug type='network' bridge='mdsbr0'/>
</networkport>`);
  assert.deepEqual(port, {
    mac: "52:54:00:ee:00:11",
    owner: "d8c2922a-1330-4d21-9aa3-f59ac2723f92",
  });
  assert.throws(() => parsePortXml("<networkport><uuid>x</uuid></networkport>"), LibvirtReplyError);
});
