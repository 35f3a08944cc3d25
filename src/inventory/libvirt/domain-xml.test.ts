import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDomainXml } from "./domain-xml.js";
import { LibvirtXmlError } from "./xml-document.js";

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
      (e: unknown) => e instanceof LibvirtXmlError && message.test(e.message),
      xml,
    );
  }
});
