import assert from "node:assert/strict";
import { test } from "node:test";
import { cutOutputs, virshArg, VirshFramer } from "./virsh-framing.js";

const TAG = "MDSabc";

/** What virsh -q -r writes for a command, as captured from virsh 9.0 (readline echoes input). */
function echoed(seq: number, command: string, output: string): string {
  return (
    `virsh > ${command}\n${output}` +
    `virsh > echo --err '${TAG}'':${seq}:'\nvirsh > echo '${TAG}'':${seq}:'\n${TAG}:${seq}:`
  );
}

test("a reply is the command's output without prompt, echoed command or markers", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stdout", echoed(1, "list --all --uuid", "1111\n2222\n"));
  framer.push("stderr", `error: ${TAG}:1:\n`);
  assert.deepEqual(framer.take(1, ["list --all --uuid"])?.[0], {
    output: "1111\n2222\n",
    errors: [],
  });
});

test("replies arrive in pieces and in order; each waits for both of its markers", () => {
  const framer = new VirshFramer(TAG);
  const stream = echoed(1, "dumpxml a", "<domain/>\n") + echoed(2, "dumpxml b", "");
  framer.push("stdout", stream.slice(0, 20));
  assert.equal(framer.take(1, ["dumpxml a"])?.[0], undefined);
  framer.push("stdout", stream.slice(20));
  assert.equal(framer.take(1, ["dumpxml a"])?.[0], undefined, "stderr marker not in yet");
  framer.push("stderr", `error: ${TAG}:1:\nerror: failed to get domain 'b'\nerror: ${TAG}`);
  assert.deepEqual(framer.take(1, ["dumpxml a"])?.[0], { output: "<domain/>\n", errors: [] });
  assert.equal(framer.take(2, ["dumpxml b"])?.[0], undefined);
  framer.push("stderr", `:2:\n`);
  assert.deepEqual(framer.take(2, ["dumpxml b"])?.[0], {
    output: "",
    errors: ["failed to get domain 'b'"],
  });
});

test("a marker number is not mistaken for the start of a longer one", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stdout", echoed(1, "echo x", "x"));
  framer.push("stderr", `error: ${TAG}:1:\n`);
  assert.deepEqual(framer.take(1, ["echo x"])?.[0], { output: "x", errors: [] });
  framer.push("stdout", `virsh > echo y\ny`);
  framer.push("stderr", `error: ${TAG}:10:\n`);
  assert.equal(framer.take(10, ["echo y"])?.[0], undefined);
});

test("a lost-connection notice between commands is nobody's error", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stdout", echoed(1, "list --all --uuid", "1111\n"));
  framer.push(
    "stderr",
    `error: Disconnected from qemu:///system due to end of file\nerror: ${TAG}:1:\n`,
  );
  assert.deepEqual(framer.take(1, ["list --all --uuid"])?.[0]?.errors, []);
});

test("without readline's echo only the prompts surround the output", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stdout", `virsh # <network/>\nvirsh # virsh # ${TAG}:1:`);
  framer.push("stderr", `error: ${TAG}:1:\n`);
  assert.equal(framer.take(1, ["net-dumpxml mds"])?.[0]?.output, "<network/>\n");
});

test("the script never contains its own marker, so virsh's echo of it cannot end a reply", () => {
  const framer = new VirshFramer(TAG);
  const script = framer.script(7, "dumpxml x");
  assert.ok(!script.includes(`${TAG}:7:`));
  assert.equal(script.split("\n").length, 4);
});

test("pendingErrors tells why virsh exited before answering", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stderr", "error: failed to connect to the hypervisor\n");
  assert.equal(framer.pendingErrors(), "error: failed to connect to the hypervisor");
});

test("virshArg escapes what virsh's parser would read as syntax and refuses control characters", () => {
  const rows: Array<[string, string | undefined]> = [
    ["web-1.example", "web-1.example"],
    ["it's mine", "it\\'s\\ mine"],
    ['a"b;c', 'a\\"b\\;c'],
    ["ünï😀", "\\ün\\ï\\😀"],
    ["two\nlines", undefined],
    ["", undefined],
  ];
  for (const [input, expected] of rows) assert.equal(virshArg(input), expected, input);
});

test("a batch's output is cut at the prompts virsh echoes each command with", () => {
  const commands = ["dumpxml a", "dumpxml b", "dumpxml c"];
  const tail = "virsh > echo --err 'M'':1:'\nvirsh > echo 'M'':1:'\n";
  const output =
    "virsh > dumpxml a\n<domain/>\nvirsh > dumpxml b\nvirsh > dumpxml c\n<domain>\n</domain>\n" +
    tail;
  assert.deepEqual(cutOutputs(output, commands), ["<domain/>\n", "", "<domain>\n</domain>\n"]);
  // Not what virsh with readline prints (one prompt too few, an echo that differs): no guess.
  assert.equal(cutOutputs(`virsh > dumpxml a\n<domain/>\n${tail}`, commands), undefined);
  assert.equal(cutOutputs(output.replace("dumpxml b", "dumpxml x"), commands), undefined);
});
