import assert from "node:assert/strict";
import { test } from "node:test";
import { networkSetup } from "./network-setup.js";
import { SetupError } from "./setup-error.js";

/** An isolated network as `virsh net-dumpxml` writes it. */
const ISOLATED = `<network>
  <name>mds</name>
  <uuid>6a1f7a52-0d43-4d7e-9b3c-2f1d00000001</uuid>
  <bridge name='virbr1' stp='on' delay='0'/>
  <mac address='52:54:00:01:02:03'/>
  <ip address='192.168.100.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.100.2' end='192.168.100.254'/>
    </dhcp>
  </ip>
</network>
`;

const ROUTE = `dhcp-option=option:classless-static-route,169.254.169.254/32,192.168.100.1`;

test("an isolated network gets the option-121 route via its DHCP address, nothing else changes", () => {
  const setup = networkSetup(ISOLATED);
  assert.equal(setup.kind, "needs-route");
  if (setup.kind !== "needs-route") return;
  assert.equal(setup.gateway, "192.168.100.1");
  assert.equal(
    setup.xml,
    ISOLATED.replace(
      "<network>",
      "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>",
    ).replace(
      "</network>",
      `  <dnsmasq:options>\n    <dnsmasq:option value='${ROUTE}'/>\n  </dnsmasq:options>\n</network>`,
    ),
  );
  assert.deepEqual(networkSetup(setup.xml), { kind: "set-up" }, "a second run changes nothing");
});

test("existing dnsmasq options are kept and the route joins them", () => {
  const withOptions = ISOLATED.replace(
    "<network>",
    "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>",
  ).replace(
    "</network>",
    "  <dnsmasq:options>\n    <dnsmasq:option value='log-dhcp'/>\n  </dnsmasq:options>\n</network>",
  );
  const setup = networkSetup(withOptions);
  assert.equal(setup.kind, "needs-route");
  if (setup.kind !== "needs-route") return;
  assert.equal(
    setup.xml,
    withOptions.replace(
      "<dnsmasq:option value='log-dhcp'/>\n",
      `<dnsmasq:option value='log-dhcp'/>\n    <dnsmasq:option value='${ROUTE}'/>\n`,
    ),
  );
});

test("NAT and routed networks need nothing; bridges and networks without DHCP cannot be helped", () => {
  for (const mode of ["nat", "route", "open"]) {
    const xml = ISOLATED.replace("  <bridge", `  <forward mode='${mode}'/>\n  <bridge`);
    assert.equal(networkSetup(xml).kind, "not-needed", mode);
  }
  assert.equal(
    networkSetup(ISOLATED.replace("  <bridge", "  <forward/>\n  <bridge")).kind,
    "not-needed",
  );
  assert.throws(
    () => networkSetup(ISOLATED.replace("  <bridge", "  <forward mode='bridge'/>\n  <bridge")),
    SetupError,
  );
  assert.throws(
    () => networkSetup(ISOLATED.replace(/<dhcp>[\s\S]*<\/dhcp>/, "")),
    /without IPv4 DHCP/,
  );
});

test("a network already sending other classless routes is not given a second option 121", () => {
  const xml = ISOLATED.replace(
    "<network>",
    `<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>`,
  ).replace(
    "</network>",
    "  <dnsmasq:options>\n    <dnsmasq:option value='dhcp-option=121,10.0.0.0/8,192.168.100.254'/>\n  </dnsmasq:options>\n</network>",
  );
  assert.throws(() => networkSetup(xml), /already sends classless static routes/);
});
