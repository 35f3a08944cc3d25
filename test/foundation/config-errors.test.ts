/**
 * Every class of configuration error is reported with the file, line, `section.key` and the
 * problem; the original's configuration files are accepted unchanged.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError } from "../../src/config/config-error.js";
import { loadConfig } from "../../src/config/load-config.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { fixture, REPO_ROOT } from "../helpers/paths.js";
import { tempDir, writeFiles } from "../helpers/test-server.js";

const FILE = "/etc/mdserver/mdserver.conf";

/** The messages parseConfig throws for `text`, one per problem. */
function problemsOf(text: string): string[] {
  try {
    parseConfig(FILE, text);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.split("\n");
  }
  assert.fail("expected a ConfigError");
}

const CASES: Array<[string, string, RegExp]> = [
  [
    "a port out of range",
    "[mdserver]\nport = 70000\n",
    /^\/etc\/mdserver\/mdserver\.conf:2: mdserver\.port: "70000" is not a whole number from 1 to 65535$/,
  ],
  [
    "a port that is not a number",
    "[mdserver]\nport = eighty\n",
    /:2: mdserver\.port: "eighty" is not a whole number/,
  ],
  [
    "a boolean that is not one",
    "[mdserver]\n\ndebug = maybe\n",
    /:3: mdserver\.debug: "maybe" is not a boolean \(use yes\/no/,
  ],
  [
    "a misspelt key",
    "[mdserver]\nlisten_adress = 127.0.0.1\n",
    /:2: mdserver\.listen_adress: unknown key/,
  ],
  ["an unknown section", "[mdservr]\nport = 80\n", /:1: \[mdservr\]: unknown section/],
  [
    "a bad listen address",
    "[mdserver]\nlisten_address = 169.254.169.254, nowhere\n",
    /:2: mdserver\.listen_address: "nowhere" is not an IPv4 or IPv6 address/,
  ],
  [
    "a bad log level",
    "[mdserver]\nloglevel = loud\n",
    /:2: mdserver\.loglevel: "loud" is not one of debug, info/,
  ],
  [
    "a bad instance source",
    "[mdserver]\ninstance_source = ldap\n",
    /:2: mdserver\.instance_source: "ldap" is not an instance source/,
  ],
  [
    "a bad entry_order item",
    "[dnsmasq]\nentry_order = base, nick\n",
    /:2: dnsmasq\.entry_order: "nick" is not one of base, prefix, domain, fqdn/,
  ],
  [
    "a DNS prefix that cannot start a host name",
    "[dnsmasq]\nmanage_addnhosts = yes\nprefix = test_\n",
    /:3: dnsmasq\.prefix: "test_" cannot start a host name/,
  ],
  [
    "a DNS domain that is not a domain name",
    "[dnsmasq]\nmanage_addnhosts = yes\ndomain = example..com\n",
    /:3: dnsmasq\.domain: "example\.\.com" is not a domain name/,
  ],
  [
    "a bad DNS mode",
    "[dnsmasq]\ndns_mode = bind\n",
    /:2: dnsmasq\.dns_mode: "bind" is not one of addn-hosts, libvirt/,
  ],
  [
    "a pid file without the hosts file it goes with",
    "[dnsmasq]\npid_file = /run/dnsmasq.pid\n",
    /:2: dnsmasq\.pid_file: is used only with dnsmasq\.addn_hosts/,
  ],
  [
    "a hosts file in the libvirt DNS mode",
    "[dnsmasq]\ndns_mode = libvirt\naddn_hosts = /etc/hosts.guests\n",
    /:3: dnsmasq\.addn_hosts: has no effect with dns_mode = libvirt/,
  ],
  [
    "a bad ec2 instance_id form",
    "[ec2]\ninstance_id = mac\n",
    /:2: ec2\.instance_id: "mac" is not one of uuid, ip/,
  ],
  [
    "a libvirt timeout of zero",
    "[libvirt]\ntimeout = 0\n",
    /:2: libvirt\.timeout: "0" is not a whole number from 1 to 600 seconds/,
  ],
  ["an empty public key", "[public-keys]\ndefault =\n", /:2: public-keys\.default: is empty/],
  [
    "a line that is no key = value",
    "[mdserver]\nport 80\n",
    /:2: expected "key = value", found "port 80"/,
  ],
  ["a key before any section", "port = 80\n", /:1: a key appears before any \[section\] header/],
  ["a key given twice", "[mdserver]\nport = 80\nPort = 81\n", /:3: mdserver\.port appears twice/],
  ["a section given twice", "[mdserver]\n[mdserver]\n", /:2: section \[mdserver\] appears twice/],
  [
    "a lone percent sign",
    "[mdserver]\npassword = 100%sure\n",
    /:2: mdserver\.password: "%" must be written "%%"/,
  ],
  [
    "an instance without ip",
    "[mdserver]\ninstance_source = static\n[instance:web]\nmac = 52:54:00:00:00:01\n",
    /:3: instance:web\.ip: is required/,
  ],
  [
    "an instance with a bad MAC",
    "[mdserver]\ninstance_source = static\n[instance:web]\nip = 10.0.0.1\nmac = 52:54:00\n",
    /:5: instance:web\.mac: "52:54:00" is not a MAC address/,
  ],
  [
    "an instance with a bad UUID",
    "[mdserver]\ninstance_source = static\n[instance:web]\nip = 10.0.0.1\nuuid = 1234\n",
    /:5: instance:web\.uuid: is not a UUID/,
  ],
  [
    "an instance name with a slash",
    "[mdserver]\ninstance_source = static\n[instance:../etc]\nip = 10.0.0.1\n",
    /:3: \[instance:\.\.\/etc\]: "\.\.\/etc" is not a usable instance name/,
  ],
  [
    "two instances with one address",
    "[mdserver]\ninstance_source = static\n[instance:a]\nip = 10.0.0.1\n[instance:b]\nip = 10.0.0.1\n",
    /:6: instance:b\.ip: 10\.0\.0\.1 is already the address of \[instance:a\]/,
  ],
  [
    "two spellings of one address",
    "[mdserver]\ninstance_source = static\n[instance:a]\nip = 10.0.0.1\n[instance:b]\nip = ::ffff:10.0.0.1\n",
    /:6: instance:b\.ip: 10\.0\.0\.1 is already the address of \[instance:a\]/,
  ],
  [
    "instances without the static source",
    "[mdserver]\ninstance_source = libvirt\n[instance:a]\nip = 10.0.0.1\n",
    /:2: mdserver\.instance_source: \[instance:a\] is declared but "static" is not an instance source here/,
  ],
];

for (const [name, text, expected] of CASES) {
  test(`config error: ${name}`, () => {
    const problems = problemsOf(text);
    assert.ok(
      problems.some((p) => expected.test(p)),
      `expected ${expected} among:\n${problems.join("\n")}`,
    );
  });
}

test("every problem in a file is reported, not just the first", () => {
  const problems = problemsOf("[mdserver]\nport = 0\ndebug = perhaps\ncolour = blue\n[nope]\n");
  assert.equal(problems.length, 4, problems.join("\n"));
});

test("a config file that cannot be read is a config error naming the file", async (t) => {
  // (A missing one means the defaults, as in the original: see upgrade.test.ts.)
  const dir = await tempDir(t);
  await assert.rejects(loadConfig(dir), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /: cannot read the config file: EISDIR/);
    return true;
  });
});

test("userdata_dir that does not exist, or is a file, is an error", async (t) => {
  const dir = await tempDir(t);
  await writeFiles(dir, {
    "missing.conf": "[mdserver]\nuserdata_dir = /nonexistent/userdata\n",
    "file.conf": "[mdserver]\nuserdata_dir = file.conf\n",
  });
  await assert.rejects(
    loadConfig(join(dir, "missing.conf")),
    /mdserver\.userdata_dir: \/nonexistent\/userdata does not exist/,
  );
  await assert.rejects(
    loadConfig(join(dir, "file.conf")),
    /mdserver\.userdata_dir: .*file\.conf is not a directory/,
  );
});

test("a default_template that is not a regular file is an error", async (t) => {
  // (One that does not exist is a warning, as in the original: see upgrade.test.ts.)
  const dir = await tempDir(t);
  await writeFiles(dir, {
    "m.conf": "[mdserver]\nuserdata_dir = .\ndefault_template = sub\n",
    "sub/x": "",
  });
  await assert.rejects(
    loadConfig(join(dir, "m.conf")),
    /mdserver\.default_template: \/.*\/sub is not a regular file/,
  );
});

test("the original's configuration is accepted unchanged, with its values", async () => {
  const { config, warnings } = await loadConfig(fixture("original/mdserver.conf"));
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(
    warnings[0] ?? "",
    /as mdserver 0\.5 wrote it: instance-id stays i-<client address>/,
  );
  assert.equal(config.ec2.instance_id, "ip");
  assert.equal(config.mdserver.port, 80);
  assert.deepEqual(config.mdserver.listen_address, ["169.254.169.254"]);
  assert.equal(config.mdserver.debug, false);
  assert.match(config.mdserver.password ?? "", /^\$6\$rounds=4096\$/);
  assert.deepEqual(
    config.publicKeys.map((k) => k.name),
    ["default", "ops"],
  );
  assert.deepEqual(config.dnsmasq.entry_order, ["prefix", "domain", "base"]);
  assert.equal(config.dnsmasq.prefix, null);
  assert.equal(config.dnsmasq.domain, null);
  assert.deepEqual(config.service.ec2_versions, ["2009-04-04", "latest"]);
  assert.equal(config.templateData.get("site"), "Example Site");
  // The original's files have no instance_source: libvirt, as before.
  assert.deepEqual(config.mdserver.instance_source, ["libvirt"]);
});

test("an empty file gives every default, as the original's built-in values", () => {
  const { config } = parseConfig(FILE, "");
  assert.equal(config.mdserver.port, 80);
  assert.deepEqual(config.mdserver.listen_address, ["169.254.169.254"]);
  assert.equal(config.mdserver.loglevel, "info");
  assert.equal(config.mdserver.logfile, "/var/log/mdserver.log");
  assert.equal(config.mdserver.userdata_dir, "/etc/mdserver/userdata");
  assert.equal(config.mdserver.hostname_prefix, "vm");
  assert.equal(config.mdserver.password, undefined);
  assert.equal(config.dnsmasq.base_dir, "/var/lib/libvirt/dnsmasq");
  assert.deepEqual(config.dnsmasq.net_name, ["mds"]);
  assert.deepEqual(config.dnsmasq.entry_order, ["base"]);
  assert.equal(config.dnsmasq.manage_addnhosts, false);
  assert.equal(config.service.name, "mdserver");
  assert.deepEqual(config.service.ec2_versions, ["2009-04-04"]);
});

test("keys of later original releases are accepted with a warning", () => {
  const { warnings } = parseConfig(
    FILE,
    "[mdserver]\ndb_file = /var/lib/mdserver/db.json\n[dnsmasq]\nnet_address = 10.122.0.0\n",
  );
  assert.equal(warnings.length, 3, warnings.join("\n"));
  assert.match(warnings[0] ?? "", /:2: mdserver\.db_file is ignored/);
  assert.match(warnings[2] ?? "", /instance-id stays i-<client address>/, "still the original's");
});

test("settings that cannot take effect are warned about", () => {
  const { warnings } = parseConfig(
    FILE,
    "[dnsmasq]\nmanage_addnhosts = yes\n[template-data]\nok_name = 1\nbad-name = 2\n[ec2]\n",
  );
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(
    warnings[0] ?? "",
    /:5: template-data\.bad-name: a template cannot refer to this name/,
  );
});

test("DNS names: a prefix or domain the original accepted is only checked where it is used", () => {
  // With manage_addnhosts off (the original's default), nothing is written: any value starts.
  const { config } = parseConfig(FILE, "[dnsmasq]\nprefix = test_\ndomain = .example.com.\n");
  assert.equal(config.dnsmasq.prefix, "test_");
  assert.equal(config.dnsmasq.domain, "example.com");
  assert.equal(config.dnsmasq.dns_mode, "addn-hosts");
  assert.equal(config.dnsmasq.dns_state_file, "/var/lib/mdserver/libvirt-dns.json");
  const relative = parseConfig(
    FILE,
    "[dnsmasq]\naddn_hosts = hosts.d/guests\npid_file = run/d.pid\n",
  );
  assert.equal(relative.config.dnsmasq.addn_hosts, "/etc/mdserver/hosts.d/guests");
  assert.equal(relative.config.dnsmasq.pid_file, "/etc/mdserver/run/d.pid");
});

test("the shipped sample and demo configurations are valid", async () => {
  for (const file of ["etc/mdserver.conf", "etc/demo/mdserver.conf"]) {
    await loadConfig(join(REPO_ROOT, file));
  }
});
