import assert from "node:assert/strict";
import { test } from "node:test";
import { checkHealth, healthText } from "./health.js";

test("checkHealth: ok when every part works", () => {
  const health = checkHealth({
    sources: () => [{ id: "static", health: () => ({ ok: true }) }],
    dns: () => undefined,
    log: () => undefined,
    listeners: () => [],
  });
  assert.deepEqual(health, { ok: true, reasons: [] });
  assert.equal(healthText(health), "ok\n");
});

test("checkHealth: degraded, with one reason per broken part", () => {
  const health = checkHealth({
    sources: () => [
      { id: "static", health: () => ({ ok: true }) },
      { id: "libvirt qemu:///system", health: () => ({ ok: false, problem: "cannot connect" }) },
    ],
    dns: () => ({ ok: false, problem: "cannot write /x/hosts" }),
    log: () => "cannot write the log to /var/log/mdserver.log: ENOSPC",
    listeners: () => ["admin 127.0.0.1:9254: address in use"],
  });
  assert.equal(health.ok, false);
  assert.equal(
    healthText(health),
    "degraded\n- libvirt qemu:///system: cannot connect\n- dns: cannot write /x/hosts\n" +
      "- log: cannot write the log to /var/log/mdserver.log: ENOSPC\n" +
      "- listener: admin 127.0.0.1:9254: address in use\n",
  );
});
