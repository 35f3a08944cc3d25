/**
 * `mdserver passwd`: a hash glibc's crypt (through Python's crypt module, as cloud-init's
 * guests check passwords) accepts; read from a pipe, and from a terminal without echo.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { test } from "node:test";
import { parseConfig } from "../../src/config/parse-config.js";
import { MDSERVER_BIN, runCli } from "../helpers/cli.js";

/** Whether glibc's crypt(3) accepts `password` for `hash`. */
function cryptAccepts(password: string, hash: string): boolean {
  const out = execFileSync(
    "/usr/bin/python3",
    [
      "-W",
      "ignore",
      "-c",
      "import crypt, sys; print(crypt.crypt(sys.argv[1], sys.argv[2]) == sys.argv[2])",
      password,
      hash,
    ],
    { encoding: "utf8" },
  );
  return out.trim() === "True";
}

/** `mdserver passwd` with `input` on its standard input (a pipe). */
function piped(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MDSERVER_BIN, "passwd"], { stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

test("from a pipe: the first line, hashed as SHA-512 crypt that crypt(3) accepts", async () => {
  const res = await piped("correct horse ✓\nignored second line\n");
  assert.equal(res.code, 0, res.stderr);
  const hash = res.stdout.trim();
  assert.match(hash, /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
  assert.ok(cryptAccepts("correct horse ✓", hash));
  assert.ok(!cryptAccepts("correct horse", hash));
  // [mdserver] password takes it as it is (the INI reader leaves "$" alone).
  const { config } = parseConfig("/etc/mdserver/mdserver.conf", `[mdserver]\npassword = ${hash}\n`);
  assert.equal(config.mdserver.password, hash);
  // A fresh salt each time.
  const again = (await piped("correct horse ✓\n")).stdout.trim();
  assert.notEqual(again, hash);
  assert.ok(cryptAccepts("correct horse ✓", again));
});

test("an empty password, or other arguments, are refused", async () => {
  assert.equal((await piped("\n")).code, 1);
  assert.equal((await runCli(["passwd", "extra"])).code, 64);
});

test("on a terminal: asked twice, nothing echoed", async () => {
  // script(1) gives the command a pseudo-terminal; answers are typed only once prompted.
  const child = spawn(
    "script",
    ["-q", "-e", "-c", `${process.execPath} ${MDSERVER_BIN} passwd`, "/dev/null"],
    { stdio: "pipe" },
  );
  let output = "";
  const answered = new Set<string>();
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
    for (const prompt of ["Password: ", "Again: "]) {
      if (output.includes(prompt) && !answered.has(prompt)) {
        answered.add(prompt);
        child.stdin.write("s3cret pw\r");
      }
    }
  });
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  child.stdin.destroy();
  assert.equal(code, 0, output);
  assert.ok(!output.includes("s3cret"), `echoed: ${JSON.stringify(output)}`);
  const hash = /\$6\$\S+/.exec(output)?.[0] ?? "";
  assert.ok(cryptAccepts("s3cret pw", hash), JSON.stringify(output));
});
