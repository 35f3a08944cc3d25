import assert from "node:assert/strict";
import { test } from "node:test";
import { parseNetworkXml } from "./network-xml.js";
import { LibvirtXmlError } from "./xml-document.js";

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
  assert.throws(() => parseNetworkXml("<network><name>n</name>"), LibvirtXmlError);
  assert.throws(() => parseNetworkXml("<network></network>"), LibvirtXmlError);
});
