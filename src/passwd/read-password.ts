/**
 * Reads a password: from a terminal without echo (asked twice, so a typo is not hashed), or
 * the first line of a pipe (`echo secret | mdserver passwd`, for scripts).
 */
import type { ReadStream } from "node:tty";

/** More than any password; stops a pipe of endless data from filling memory. */
const MAX_BYTES = 64 * 1024;

/** Raised when no password could be read; the message is for the user. */
export class PasswordError extends Error {}

/** The password typed on `input` (a terminal) or the first line read from it (a pipe). */
export async function readPassword(
  input: NodeJS.ReadStream,
  prompt: NodeJS.WriteStream,
): Promise<string> {
  if (!input.isTTY) return firstLine(input);
  const first = await typeHidden(input as ReadStream, prompt, "Password: ");
  const again = await typeHidden(input as ReadStream, prompt, "Again: ");
  if (first !== again) throw new PasswordError("the two passwords differ");
  return first;
}

async function firstLine(input: NodeJS.ReadStream): Promise<string> {
  let text = "";
  for await (const chunk of input) {
    text += String(chunk);
    const end = text.search(/\r?\n/);
    if (end >= 0) return text.slice(0, end);
    if (text.length > MAX_BYTES) throw new PasswordError("no end of line in the first 64 KiB");
  }
  return text;
}

/** One line typed in raw mode, nothing echoed; Backspace edits, Ctrl-C and Ctrl-D give up. */
function typeHidden(input: ReadStream, prompt: NodeJS.WriteStream, label: string): Promise<string> {
  // Raw (no echo) before the prompt shows, so nothing typed after it is echoed.
  input.setRawMode(true);
  input.setEncoding("utf8");
  input.resume();
  prompt.write(label);
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      prompt.write("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003" || ch === "\u0004") return finish(new PasswordError("cancelled"));
        if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
        else if (ch >= " ") typed += ch;
        if (typed.length > MAX_BYTES) return finish(new PasswordError("too long"));
      }
    };
    input.on("data", onData);
  });
}
