/**
 * `mdserver passwd`: reads a password (no echo on a terminal; the first line of a pipe) and
 * prints its SHA-512 crypt hash (`$6$…`), for `[mdserver] password` and cloud-init's
 * `passwd:`/`chpasswd`, so that no plain password needs to be written in a config.
 */
import { PasswordError, readPassword } from "../passwd/read-password.js";
import { randomSalt, sha512Crypt } from "../passwd/sha512-crypt.js";
import { EXIT, UsageError, type ArgvCommand } from "./command.js";

const SUMMARY = "Reads a password without echo and prints its SHA-512 crypt hash ($6$…).";

const HELP = `Usage: mdserver passwd

${SUMMARY}
On a terminal the password is asked twice; from a pipe, the first line is read:
  echo 'secret' | mdserver passwd
Put the hash in [mdserver] password (a template's {{mdserver_password}}), or in
cloud-init's passwd: or chpasswd: (with hashed passwords).
`;

/** `mdserver passwd`. */
export const passwdCommand: ArgvCommand = {
  name: "passwd",
  summary: SUMMARY,
  async runArgv(argv) {
    if (argv.includes("--help") || argv.includes("-h")) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    if (argv.length > 0) throw new UsageError(`mdserver passwd takes no arguments`);
    let password;
    try {
      password = await readPassword(process.stdin, process.stderr);
    } catch (error) {
      if (!(error instanceof PasswordError)) throw error;
      process.stderr.write(`mdserver passwd: ${error.message}\n`);
      return EXIT.failure;
    }
    if (password === "") {
      process.stderr.write("mdserver passwd: the password is empty\n");
      return EXIT.failure;
    }
    process.stdout.write(`${sha512Crypt(password, randomSalt())}\n`);
    return EXIT.ok;
  },
};
