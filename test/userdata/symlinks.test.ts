/**
 * Symlinks in userdata_dir (#11 item 6): followed when the target stays inside userdata_dir or
 * the default_template's directory; anything else is refused (500 for that guest, logged once),
 * whatever it points at: another file of the host, the server's own /proc files.
 */
import assert from "node:assert/strict";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { recordingLogger } from "../helpers/recording-logger.js";
import { startTestServer } from "../helpers/test-server.js";
import { ALPHA, BETA, twoGuestsConfig } from "../helpers/two-guests.js";

const SECRET = "TOP SECRET host file";

test("links inside userdata_dir and into the default_template's directory are followed", async (t) => {
  const server = await startTestServer(
    t,
    twoGuestsConfig("", "default_template = ../templates/default.yaml"),
    {
      files: {
        "userdata/shared/web.yaml": "#cloud-config\nrole: web for {{hostname}}\n",
        "templates/default.yaml": "#cloud-config\nrole: default\n",
        "templates/db.yaml": "#cloud-config\nrole: db for {{hostname}}\n",
      },
    },
  );
  const dir = join(server.dir, "userdata");
  await symlink("shared/web.yaml", join(dir, "alpha.yaml"));
  await symlink(join(server.dir, "templates", "db.yaml"), join(dir, "beta"));
  const alpha = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(alpha.status, 200, alpha.body);
  assert.equal(alpha.body, "#cloud-config\nrole: web for alpha\n");
  const beta = await server.request("/latest/user-data", { from: BETA.ip });
  assert.equal(beta.status, 200, beta.body);
  assert.equal(beta.body, "#cloud-config\nrole: db for beta\n");
});

test("links out of userdata_dir are refused: 500 for that guest, logged once, nothing of the target sent", async (t) => {
  const { log, lines } = recordingLogger();
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "secret.yaml": SECRET },
    log,
  });
  const dir = join(server.dir, "userdata");
  await symlink("../secret.yaml", join(dir, "alpha.yaml"));
  await symlink("/proc/self/environ", join(dir, "beta"));
  for (let i = 0; i < 3; i++) {
    const alpha = await server.request("/latest/user-data", { from: ALPHA.ip });
    assert.equal(alpha.status, 500, alpha.body);
    assert.ok(!alpha.body.includes(SECRET));
    assert.ok(!alpha.body.includes(server.dir), "the guest is not told host paths");
    const beta = await server.request("/latest/user-data", { from: BETA.ip });
    assert.equal(beta.status, 500, beta.body);
    assert.ok(!beta.body.includes("PATH="), "the server's environment leaked");
    // Not advertised either.
    assert.doesNotMatch((await server.request("/latest/", { from: BETA.ip })).body, /user-data/);
  }
  const refusals = lines.filter((l) => /outside/.test(l.msg));
  assert.equal(refusals.length, 2, JSON.stringify(refusals));
  assert.ok(refusals.some((l) => String(l.file).endsWith("alpha.yaml")));
  assert.ok(refusals.some((l) => l.target === "/proc/self/environ" || /environ/.test(l.msg)));
});

test("a link whose target moves out is refused from then on, and a refusal is logged again after a change", async (t) => {
  const { log, lines } = recordingLogger();
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/inside.yaml": "inside\n", "outside.yaml": SECRET },
    log,
  });
  const dir = join(server.dir, "userdata");
  await symlink("inside.yaml", join(dir, "alpha"));
  assert.equal((await server.request("/latest/user-data", { from: ALPHA.ip })).body, "inside\n");
  // Replace the middle: userdata/inside.yaml becomes a link out.
  await writeFile(join(server.dir, "unused"), "");
  const { rm } = await import("node:fs/promises");
  await rm(join(dir, "inside.yaml"));
  await symlink("../outside.yaml", join(dir, "inside.yaml"));
  const deadline = Date.now() + 10_000;
  let res = await server.request("/latest/user-data", { from: ALPHA.ip });
  while (res.status === 200 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    res = await server.request("/latest/user-data", { from: ALPHA.ip });
  }
  assert.equal(res.status, 500);
  assert.ok(!res.body.includes(SECRET));
  assert.equal(lines.filter((l) => /outside/.test(l.msg)).length, 1);
  // A different problem at the same name is a change: logged again.
  await rm(join(dir, "alpha"));
  await mkdir(join(dir, "alpha"));
  const deadline2 = Date.now() + 10_000;
  while (Date.now() < deadline2) {
    if (lines.some((l) => /directory/.test(l.msg))) break;
    await server.request("/latest/user-data", { from: ALPHA.ip });
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(lines.filter((l) => /directory/.test(l.msg)).length, 1);
});

test("the size guard counts what is read, not what stat says", async (t) => {
  const server = await startTestServer(t, twoGuestsConfig(), {
    files: { "userdata/big": "x".repeat(1024 * 1024 + 1) },
  });
  await symlink("big", join(server.dir, "userdata", "alpha"));
  const res = await server.request("/latest/user-data", { from: ALPHA.ip });
  assert.equal(res.status, 500);
  assert.ok(res.body.length < 200);
});
