import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDnsmasqConf } from "./dnsmasq-conf.js";

test("libvirt's generated dnsmasq configuration names the hosts file and the pid file", () => {
  // The shape libvirt 9 writes to /var/lib/libvirt/dnsmasq/<network>.conf.
  const conf = `##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:
##    virsh net-edit mds
strict-order
pid-file=/run/libvirt/network/mds.pid
except-interface=lo
bind-dynamic
interface=virbr1
dhcp-range=10.0.0.2,10.0.0.254,255.255.255.0
dhcp-hostsfile=/var/lib/libvirt/dnsmasq/mds.hostsfile
addn-hosts=/var/lib/libvirt/dnsmasq/mds.addnhosts
`;
  assert.deepEqual(parseDnsmasqConf(conf), {
    addnHosts: "/var/lib/libvirt/dnsmasq/mds.addnhosts",
    pidFile: "/run/libvirt/network/mds.pid",
  });
  assert.deepEqual(parseDnsmasqConf("strict-order\naddn-hosts=\n"), {});
});
