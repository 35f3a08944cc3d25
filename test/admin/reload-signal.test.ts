/**
 * SIGHUP against a running `mdserver` process: the new config's keys and listeners apply, a
 * request under way when it arrives is answered, a broken config changes nothing and every one
 * of its problems is logged; `mdserver status` reads the server's admin listener.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, runCli, serveInBackground } from "../helpers/cli.js";
import { eventually } from "../helpers/eventually.js";
import { send } from "../helpers/http-client.js";
import { ALPHA, KEYS, twoGuestsConfig } from "../helpers/two-guests.js";

const NEW_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReloadedKey admin@host";

test("SIGHUP reloads keys and listeners without dropping a request; a broken config is refused", async (t) => {
  const adminPort = await freePort();
  const config = (port: number, extra = "") =>
    twoGuestsConfig(`[admin]\nport = ${adminPort}\n`, `port = ${port}\n${extra}`);
  const server = await serveInBackground(t, (port) => config(port));
  const file = join(server.dir, "mdserver.conf");
  const count = (text: string) => server.output().split(text).length - 1;
  const key = (port: number) =>
    send({ port, from: ALPHA.ip, path: "/latest/meta-data/public-keys/0/openssh-key" });
  await eventually("the server to answer", async () => (await key(server.port)).status === 200);
  assert.equal((await key(server.port)).body, KEYS.default);

  // A request under way: its headers are not finished when the signal arrives.
  const inFlight = connect({ port: server.port, host: "127.0.0.1", localAddress: ALPHA.ip });
  await once(inFlight, "connect");
  inFlight.write("GET /latest/meta-data/hostname HTTP/1.1\r\nHost: 169.254.169.254\r\n");
  let answer = "";
  inFlight.on("data", (chunk: Buffer) => (answer += chunk.toString()));

  const newPort = await freePort();
  await writeFile(file, config(newPort).replace(KEYS.default, NEW_KEY));
  server.child.kill("SIGHUP");
  await eventually("the reload", () => count('"msg":"configuration reloaded"') === 1);

  inFlight.write("Connection: close\r\n\r\n");
  await once(inFlight, "close");
  assert.match(answer, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nalpha$/);

  assert.equal((await key(newPort)).body, NEW_KEY);
  await assert.rejects(key(server.port), /ECONNREFUSED/);

  // mdserver status asks the admin listener of the running server.
  const status = await runCli(["status", "--config", file]);
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /: ok\n/);
  assert.match(
    status.stdout,
    new RegExp(
      `^alpha +${ALPHA.ip.replace(/\./g, "\\.")} +${ALPHA.mac} +${ALPHA.uuid} +\\(built-in\\) +200, \\d+ s ago +never +—$`,
      "m",
    ),
  );

  // Two problems: both logged, the running configuration stays.
  await writeFile(
    file,
    config(newPort)
      .replace(`port = ${newPort}`, "port = 99999")
      .replace("instance_source = static", "instance_source = static\ndebug = maybe"),
  );
  server.child.kill("SIGHUP");
  await eventually("the refusal", () => count("configuration not reloaded") === 1);
  assert.match(
    server.output(),
    /mdserver\.conf:\d+: mdserver\.port: \\"99999\\" is not a whole number/,
  );
  assert.match(
    server.output(),
    /mdserver\.conf:\d+: mdserver\.debug: \\"maybe\\" is not a boolean/,
  );
  assert.equal((await key(newPort)).body, NEW_KEY);

  server.child.kill("SIGTERM");
  const [code] = (await once(server.child, "exit")) as [number | null];
  assert.equal(code, 0);
});
