import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfig } from "./parse-config.js";
import { changesNeedingRestart } from "./restart-keys.js";

const config = (text: string) => parseConfig("/etc/mdserver/mdserver.conf", text).config;

test("changesNeedingRestart names start-up-only keys that changed, and nothing else", () => {
  const before = config("[mdserver]\nport=80\nloglevel=info\n[public-keys]\na=ssh-ed25519 AAAA\n");
  const after = config(
    "[mdserver]\nport=8080\nloglevel=debug\ninstance_source=libvirt,static\n[public-keys]\na=ssh-ed25519 BBBB\n[libvirt]\nuri=test:///x\n[instance:web]\nip=10.0.0.5\n",
  );
  assert.deepEqual(changesNeedingRestart(before, after), [
    "mdserver.loglevel",
    "mdserver.instance_source",
    "libvirt.uri",
    "[instance:NAME] sections",
  ]);
  assert.deepEqual(changesNeedingRestart(before, before), []);
});
