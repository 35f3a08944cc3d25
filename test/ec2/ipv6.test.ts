/**
 * IPv6: mdserver listens on IPv4 and IPv6 addresses at once and identifies IPv6 clients; the
 * EC2 IPv6 endpoint fd00:ec2::254 is accepted and served (in a network namespace of our own).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "../../src/config/parse-config.js";
import { startTestServer } from "../helpers/test-server.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, twoGuestsConfig } from "../helpers/two-guests.js";
import { startInNamespace } from "../helpers/mdserver-in-netns.js";

const V6_GUEST =
  "[instance:six]\nip = ::1\nmac = 52:54:00:00:00:66\nuuid = 66666666-6666-4666-8666-666666666666\n";

test("listening on 127.0.0.1 and ::1: an IPv6 client is identified, an IPv4 one still is", async (t) => {
  const config = twoGuestsConfig(V6_GUEST).replace(
    "listen_address = 127.0.0.1",
    "listen_address = 127.0.0.1, ::1",
  );
  const server = await startTestServer(t, config);
  const v6 = server.server.bound.find((b) => b.family === "IPv6");
  assert.ok(v6, "bound to ::1");
  assert.equal(v6.address, "::1");
  const rows: Array<[string, string]> = [
    ["/latest/meta-data/instance-id", "i-66666666666646668"],
    ["/latest/meta-data/hostname", "six"],
    ["/latest/meta-data/ipv6", "::1"],
    ["/latest/meta-data/network/interfaces/macs/52:54:00:00:00:66/ipv6s", "::1"],
  ];
  for (const [path, body] of rows) {
    const res = await send({ host: "::1", from: "::1", port: v6.port, path });
    assert.equal(res.status, 200, path);
    assert.equal(res.body, body, path);
  }
  // No IPv4 address: no local-ipv4, and it is not listed.
  const listing = await send({
    host: "::1",
    from: "::1",
    port: v6.port,
    path: "/latest/meta-data/",
  });
  assert.ok(!listing.body.split("\n").includes("local-ipv4"), listing.body);
  const v4 = await server.request("/latest/meta-data/hostname", { from: ALPHA.ip });
  assert.equal(v4.body, "alpha");
  // Tokens work over IPv6 and stay with the IPv6 guest.
  const put = await send({
    host: "::1",
    from: "::1",
    port: v6.port,
    path: "/latest/api/token",
    method: "PUT",
    headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" },
  });
  assert.equal(put.status, 200);
  const foreign = await server.request("/latest/meta-data/hostname", {
    from: ALPHA.ip,
    headers: { "X-aws-ec2-metadata-token": put.body },
  });
  assert.equal(foreign.status, 401);
});

test("fd00:ec2::254 is accepted as a listen address next to 169.254.169.254", () => {
  const text = twoGuestsConfig().replace(
    "listen_address = 127.0.0.1",
    "listen_address = 169.254.169.254, fd00:ec2::254",
  );
  const { config } = parseConfig("/x/mdserver.conf", text);
  assert.deepEqual(config.mdserver.listen_address, ["169.254.169.254", "fd00:ec2::254"]);
  assert.throws(
    () =>
      parseConfig(
        "/x/mdserver.conf",
        twoGuestsConfig().replace(
          "listen_address = 127.0.0.1",
          "listen_address = fd00:ec2::254::1",
        ),
      ),
    /mdserver\.listen_address: "fd00:ec2::254::1" is not an IPv4 or IPv6 address/,
  );
});

test("served on fd00:ec2::254 in a network namespace, to an IPv6 guest there", async (t) => {
  const guestIp = "fd00:ec2::10";
  const ns = await startInNamespace(t, {
    addresses: ["fd00:ec2::254/128", `${guestIp}/128`],
    config: `[mdserver]
listen_address = fd00:ec2::254
port = 80
logfile = -
instance_source = static
userdata_dir = .

[instance:v6guest]
ip = ${guestIp}
uuid = 0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d
`,
  });
  // curl from a given source address; prints the body, or the status with -w.
  const curl = (from: string, path: string, ...extra: string[]) =>
    ns.exec("curl", ["-sS", "-g", ...extra, "--interface", from, `http://[fd00:ec2::254]${path}`]);
  assert.equal(await curl(guestIp, "/latest/meta-data/instance-id"), "i-0a0b0c0d0e0f4a1b8");
  assert.equal(await curl(guestIp, "/latest/meta-data/local-hostname"), "v6guest");
  // From the server's own address, which no instance has: 404.
  const stranger = await curl(
    "fd00:ec2::254",
    "/latest/meta-data/instance-id",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code}",
  );
  assert.equal(stranger, "404");
});
