/**
 * The domain's <metadata> under mdserver's namespace, read through libvirt's test driver:
 * it chooses the user-data file (inside userdata_dir only), adds template values and tags;
 * and `mdserver render` shows what each guest gets and from where.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { MDS_NAMESPACE } from "../../src/inventory/domain-metadata.js";
import { runCli } from "../helpers/cli.js";
import { startTestServer, tempDir, writeFiles } from "../helpers/test-server.js";

interface Guest {
  readonly name: string;
  readonly mac: string;
  readonly ip: string;
  readonly metadata: string;
}

const mds = (inner: string) =>
  `<metadata><mds:instance xmlns:mds="${MDS_NAMESPACE}">${inner}</mds:instance></metadata>`;

const GUESTS: readonly Guest[] = [
  {
    name: "web1",
    mac: "52:54:00:00:06:01",
    ip: "127.0.6.1",
    metadata: mds(
      `<mds:userdata>roles/web.yaml</mds:userdata><mds:value name="role">web</mds:value>` +
        `<mds:value name="site">dc2</mds:value><mds:tag name="Name">web1</mds:tag><mds:tag name="Tier">front</mds:tag>`,
    ),
  },
  {
    name: "web2",
    mac: "52:54:00:00:06:02",
    ip: "127.0.6.2",
    metadata: mds(`<mds:userdata>../mdserver.conf</mds:userdata>`),
  },
  {
    name: "web3",
    mac: "52:54:00:00:06:03",
    ip: "127.0.6.3",
    metadata: mds(`<mds:userdata>roles/missing.yaml</mds:userdata>`),
  },
];

async function writeNode(dir: string): Promise<string> {
  const hosts = GUESTS.map((g) => `<host mac="${g.mac}" ip="${g.ip}"/>`).join("\n");
  const domains = GUESTS.map(
    (g, i) => `<domain type="test"><name>${g.name}</name>
<uuid>6d6d6d6d-0000-4000-8000-00000000060${i + 1}</uuid>${g.metadata}<memory>65536</memory>
<os><type arch="x86_64">hvm</type></os><devices><interface type="network">
<mac address="${g.mac}"/><source network="mds"/></interface></devices></domain>`,
  );
  const file = join(dir, "node.xml");
  await writeFile(
    file,
    `<node><network><name>mds</name><bridge name="virbr-md"/>
<ip address="127.0.0.1" netmask="255.0.0.0"><dhcp><range start="127.0.100.1" end="127.0.100.254"/>
${hosts}</dhcp></ip></network>
${domains.join("\n")}
</node>
`,
  );
  return `test://${file}`;
}

const configText = (uri: string) => `[mdserver]
listen_address = 127.0.0.1
userdata_dir = userdata
logfile = -
instance_source = libvirt

[libvirt]
uri = ${uri}

[dnsmasq]
net_name = mds
base_dir = leases

[template-data]
site = lab
`;

const FILES = {
  "leases/.keep": "",
  "userdata/roles/web.yaml":
    "#cloud-config\n# role: {{role}} site: {{site}} tags: {{tags['Tier']}}\n",
  "userdata/web1.yaml": "#cloud-config\nnot: chosen\n",
  "userdata/web2.yaml": "#cloud-config\nweb2: own file\n",
};

async function setUp(t: TestContext) {
  const dir = await tempDir(t);
  return { dir, uri: await writeNode(dir) };
}

test("<metadata> chooses the user-data file and adds values and tags", async (t) => {
  const { uri } = await setUp(t);
  const server = await startTestServer(t, configText(uri), { files: FILES });
  const get = async (path: string, from: string) => {
    const res = await server.request(path, { from });
    return res.status === 200 ? res.body : `${res.status} ${res.body}`;
  };
  assert.equal(
    await get("/latest/user-data", "127.0.6.1"),
    "#cloud-config\n# role: web site: dc2 tags: front\n",
  );
  assert.equal(await get("/latest/meta-data/tags/instance/", "127.0.6.1"), "Name\nTier");
  assert.equal(await get("/latest/meta-data/tags/instance/Tier", "127.0.6.1"), "front");
  const openstack = JSON.parse(await get("/openstack/latest/meta_data.json", "127.0.6.1"));
  assert.deepEqual(openstack.meta, { Name: "web1", Tier: "front" });
  // A name leading out of userdata_dir is ignored: the usual search serves web2.
  assert.equal(await get("/latest/user-data", "127.0.6.2"), "#cloud-config\nweb2: own file\n");
  // A named file that does not exist fails that guest's user-data, loudly.
  assert.equal(
    await get("/latest/user-data", "127.0.6.3"),
    "500 user-data template error: missing.yaml: named by the domain's <metadata> but not found\n",
  );
  assert.equal(await get("/latest/meta-data/hostname", "127.0.6.3"), "web3");
});

test("mdserver render: every part and its file, by name, address or MAC; --part exactly", async (t) => {
  const { dir, uri } = await setUp(t);
  await writeFiles(dir, { ...FILES, "mdserver.conf": configText(uri) });
  await writeFiles(dir, { "userdata/default.vendor-data": "#cloud-config\nvendor: {{name}}\n" });
  const conf = join(dir, "mdserver.conf");
  const all = await runCli(["render", "web1", "--config", conf]);
  assert.equal(all.code, 0, all.stderr);
  assert.equal(
    all.stdout,
    [
      `==> user-data: ${join(dir, "userdata/roles/web.yaml")} (domain <metadata>)`,
      "#cloud-config",
      "# role: web site: dc2 tags: front",
      `==> vendor-data: ${join(dir, "userdata/default.vendor-data")} (default)`,
      "#cloud-config",
      "vendor: web1",
      "==> network-config: (built-in)",
      "version: 2",
      "ethernets:",
      "  nic0:",
      "    match:",
      '      macaddress: "52:54:00:00:06:01"',
      "    dhcp4: true",
      "==> meta-data: (none)",
      "",
    ].join("\n"),
  );
  for (const who of ["127.0.6.2", "52:54:00:00:06:02", "52-54-00-00-06-02", "web2"]) {
    const one = await runCli(["render", who, "--part", "user-data", "--config", conf]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, "#cloud-config\nweb2: own file\n", who);
    assert.match(one.stderr, /user-data: .*userdata\/web2\.yaml\n/);
    assert.match(
      one.stderr,
      /<userdata> "\.\.\/mdserver\.conf" is not a file name inside userdata_dir/,
    );
  }
  const broken = await runCli(["render", "web3", "--config", conf]);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /^==> user-data: error \(500 to the guest\)\n/);
  assert.match(
    broken.stderr,
    /user-data: .*roles\/missing\.yaml: named by the domain's <metadata> but not found/,
  );
  const unknown = await runCli(["render", "nobody", "--config", conf]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no guest is known as "nobody"/);
  const badPart = await runCli(["render", "web1", "--part", "kernel", "--config", conf]);
  assert.equal(badPart.code, 64);
});
