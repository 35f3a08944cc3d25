import assert from "node:assert/strict";
import { test } from "node:test";
import { cutOutputs, virshArg, VirshFramer } from "./virsh-framing.js";

const TAG = "MDSabc";

/** What virsh -q -r writes for a command, as captured from virsh 9.0 (readline echoes input). */
function echoed(command: string, output: string): string {
  return `virsh > ${command}\n${output}virsh > echo --err '${TAG}'':'\nvirsh > echo '${TAG}'':'\n${TAG}:`;
}

test("a reply is the command's output without prompt, echoed command or markers", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stdout", echoed("list --all --uuid", "1111\n2222\n"));
  framer.push("stderr", `error: ${TAG}:\n`);
  assert.deepEqual(framer.take(["list --all --uuid"])?.[0], {
    output: "1111\n2222\n",
    errors: [],
  });
});

test("replies arrive in pieces and in order; each waits for both of its markers", () => {
  const framer = new VirshFramer(TAG);
  const stream = echoed("dumpxml a", "<domain/>\n") + echoed("dumpxml b", "");
  framer.push("stdout", stream.slice(0, 20));
  assert.equal(framer.take(["dumpxml a"])?.[0], undefined);
  framer.push("stdout", stream.slice(20));
  assert.equal(framer.take(["dumpxml a"])?.[0], undefined, "stderr marker not in yet");
  framer.push("stderr", `error: ${TAG}:\nerror: failed to get domain 'b'\nerror: ${TAG}`);
  assert.deepEqual(framer.take(["dumpxml a"])?.[0], { output: "<domain/>\n", errors: [] });
  assert.equal(framer.take(["dumpxml b"])?.[0], undefined);
  framer.push("stderr", `:\n`);
  assert.deepEqual(framer.take(["dumpxml b"])?.[0], {
    output: "",
    errors: ["failed to get domain 'b'"],
  });
});

test("a marker is found wherever the chunks split it, once, and only whole", () => {
  const framer = new VirshFramer(TAG);
  const stream = echoed("echo x", "x\n") + echoed("echo y", "y\n");
  for (const ch of stream) framer.push("stdout", ch);
  framer.push("stderr", `error: ${TAG}:\nerror: ${TAG.slice(0, -1)}`);
  assert.deepEqual(framer.take(["echo x"])?.[0], { output: "x\n", errors: [] });
  assert.equal(framer.take(["echo y"]), undefined);
  framer.push("stderr", `${TAG.slice(-1)}:\n`);
  assert.deepEqual(framer.take(["echo y"])?.[0], { output: "y\n", errors: [] });
  assert.equal(framer.take(["echo z"]), undefined);
});

test("a lost-connection notice between commands is nobody's error", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stdout", echoed("list --all --uuid", "1111\n"));
  framer.push(
    "stderr",
    `error: Disconnected from qemu:///system due to end of file\nerror: ${TAG}:\n`,
  );
  assert.deepEqual(framer.take(["list --all --uuid"])?.[0]?.errors, []);
});

test("without readline's echo only the prompts surround the output", () => {
  const framer = new VirshFramer(TAG);
  framer.push("stdout", `virsh # <network/>\nvirsh # virsh # ${TAG}:`);
  framer.push("stderr", `error: ${TAG}:\n`);
  assert.equal(framer.take(["net-dumpxml mds"])?.[0]?.output, "<network/>\n");
});

test("the script never contains its own marker, so virsh's echo of it cannot end a reply", () => {
  const framer = new VirshFramer(TAG);
  const script = framer.script("dumpxml x");
  assert.ok(!script.includes(`${TAG}:`));
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
  const tail = "virsh > echo --err 'M'':'\nvirsh > echo 'M'':'\n";
  const output =
    "virsh > dumpxml a\n<domain/>\nvirsh > dumpxml b\nvirsh > dumpxml c\n<domain>\n</domain>\n" +
    tail;
  assert.deepEqual(cutOutputs(output, commands), ["<domain/>\n", "", "<domain>\n</domain>\n"]);
  // Not what virsh with readline prints (one prompt too few, an echo that differs): no guess.
  assert.equal(cutOutputs(`virsh > dumpxml a\n<domain/>\n${tail}`, commands), undefined);
  assert.equal(cutOutputs(output.replace("dumpxml b", "dumpxml x"), commands), undefined);
});
