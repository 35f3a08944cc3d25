import assert from "node:assert/strict";
import { test } from "node:test";
import { isSetUp, setUpDomainXml } from "./domain-setup.js";
import { SetupError } from "./setup-error.js";
import { NOCLOUD_SERIAL } from "./setup-mode.js";

/** As `virsh dumpxml` writes a domain, with a <metadata> holding an unprefixed <os>. */
const DOMAIN = `<domain type='kvm' id='3'>
  <name>web</name>
  <uuid>5f1f1a4e-0000-4000-8000-000000000001</uuid>
  <metadata>
    <app:info xmlns:app="https://app.example/1"><os xmlns="https://app.example/1">x</os></app:info>
  </metadata>
  <memory unit='KiB'>1048576</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:aa:bb:cc'/>
      <source network='default'/>
    </interface>
  </devices>
</domain>
`;

const SYSINFO_OPENSTACK = `  <sysinfo type='smbios'>
    <system>
      <entry name='product'>OpenStack Nova</entry>
    </system>
  </sysinfo>
`;
const SMBIOS = `    <smbios mode='sysinfo'/>\n`;

test("openstack: a sysinfo block before <os> and <smbios> in it; every other byte as it was", () => {
  const after = setUpDomainXml(DOMAIN, "openstack");
  assert.equal(
    after,
    DOMAIN.replace("  <os>\n", `${SYSINFO_OPENSTACK}  <os>\n`).replace(
      "  </os>",
      `${SMBIOS}  </os>`,
    ),
  );
  assert.equal(setUpDomainXml(after, "openstack"), after, "a second run changes nothing");
  assert.equal(isSetUp(after, "openstack"), true);
  assert.equal(isSetUp(DOMAIN, "openstack"), false);
});

test("switching modes removes the other mode's mark and keeps other entries", () => {
  const withVendor = DOMAIN.replace(
    "  <os>\n",
    `  <sysinfo type='smbios'>
    <system>
      <entry name='manufacturer'>ACME</entry>
    </system>
  </sysinfo>
  <os>\n`,
  );
  const nocloud = setUpDomainXml(withVendor, "nocloud");
  assert.match(nocloud, /<entry name='manufacturer'>ACME<\/entry>\n {6}<entry name='serial'>/);
  assert.ok(nocloud.includes(`<entry name='serial'>${NOCLOUD_SERIAL}</entry>`));
  const openstack = setUpDomainXml(nocloud, "openstack");
  assert.doesNotMatch(openstack, /serial/);
  assert.match(openstack, /<entry name='manufacturer'>ACME<\/entry>\n {6}<entry name='product'>/);
  const back = setUpDomainXml(openstack, "nocloud");
  assert.doesNotMatch(back, /OpenStack/);
  assert.equal(back, nocloud, "nocloud → openstack → nocloud ends where it started");
});

test("ec2 needs an ec2 UUID and sets serial = UUID", () => {
  assert.throws(() => setUpDomainXml(DOMAIN, "ec2"), SetupError);
  assert.equal(isSetUp(DOMAIN, "ec2"), false);
  const uuid = "ec2a1b2c-0000-4000-8000-000000000001";
  const ec2 = DOMAIN.replace(/<uuid>[^<]*/, `<uuid>${uuid.toUpperCase()}`);
  const after = setUpDomainXml(ec2, "ec2");
  assert.ok(after.includes(`<entry name='serial'>${uuid}</entry>`));
  assert.equal(isSetUp(after, "ec2"), true);
  // The serial is changed in place, not added twice.
  const nocloud = setUpDomainXml(after, "nocloud");
  assert.equal(nocloud.match(/name='serial'/g)?.length, 1);
});

test("another smbios mode is switched; a one-line <os> stays on one line", () => {
  const compact = `<domain type="test"><name>a</name><uuid>a1a1a1a1-0000-4000-8000-000000000021</uuid><os><type arch="x86_64">hvm</type><smbios mode="host"/></os></domain>`;
  const after = setUpDomainXml(compact, "openstack");
  assert.equal(
    after,
    `<domain type="test"><name>a</name><uuid>a1a1a1a1-0000-4000-8000-000000000021</uuid><sysinfo type='smbios'><system><entry name='product'>OpenStack Nova</entry></system></sysinfo><os><type arch="x86_64">hvm</type><smbios mode='sysinfo'/></os></domain>`,
  );
  assert.equal(setUpDomainXml(after, "openstack"), after);
});

test("an empty <sysinfo type='smbios'/> is written anew; another sysinfo type is left alone", () => {
  const xml = DOMAIN.replace(
    "  <os>\n",
    "  <sysinfo type='fwcfg'>\n    <entry name='opt/x'>y</entry>\n  </sysinfo>\n  <sysinfo type='smbios'/>\n  <os>\n",
  );
  const after = setUpDomainXml(xml, "openstack");
  assert.ok(
    after.includes("  <sysinfo type='fwcfg'>\n    <entry name='opt/x'>y</entry>\n  </sysinfo>\n"),
  );
  assert.ok(after.includes(SYSINFO_OPENSTACK));
  assert.doesNotMatch(after, /<sysinfo type='smbios'\/>/);
  assert.equal(setUpDomainXml(after, "openstack"), after);
});

test("XML that is not a domain, or has no <os>, is refused", () => {
  assert.throws(() => setUpDomainXml("<network/>", "openstack"), /no <domain>/);
  assert.throws(
    () =>
      setUpDomainXml(
        "<domain><uuid>5f1f1a4e-0000-4000-8000-000000000001</uuid></domain>",
        "openstack",
      ),
    /no <os>/,
  );
});
