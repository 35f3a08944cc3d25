/**
 * Cuts the output of one interactive virsh into one reply per command. Every command is
 * followed by `echo --err MARK` and `echo MARK`, so its stdout and stderr end where MARK
 * appears. MARK (a random tag and the command's number) is written 'TAG'':N:' so that
 * readline's echo of the command line never contains it. Prompt and echoes are stripped.
 */

/** A command's stdout (prompt and echo removed) and errors ("error: …" lines, unprefixed). */
export interface VirshReply {
  readonly output: string;
  readonly errors: readonly string[];
}

// virsh's prompt ("virsh # " when read-write). One inside an output cannot be taken for one:
// XML escapes ">", and every output ends with a newline.
const PROMPT = /^virsh [>#] /;
// A lost connection is reported when virsh notices, between commands: no command's error.
const ERROR_LINE = /^error: (?!Disconnected from .* due to )(.*)\n/gm;

/** One of virsh's pipes, in the chunks it came in: each is searched once, all joined once. */
class Incoming {
  parts: string[] = [];
  private scanned = 0;
  private offset = 0;
  private carry = "";
  private found = -1;

  /** Where `marker` starts (only ever the oldest marker not cut yet is looked for); -1. */
  find(marker: string): number {
    for (; this.found < 0 && this.scanned < this.parts.length; this.scanned++) {
      const window = this.carry + this.parts[this.scanned]!;
      const at = window.indexOf(marker);
      if (at >= 0) this.found = this.offset - this.carry.length + at;
      this.offset += window.length - this.carry.length;
      this.carry = window.slice(-marker.length);
    }
    return this.found;
  }

  /** Takes the text before `end` and drops `skip` characters after it. */
  cut(end: number, skip: number): string {
    const text = this.parts.join("");
    this.parts = [text.slice(end + skip)];
    [this.scanned, this.offset, this.carry, this.found] = [0, 0, "", -1];
    return text.slice(0, end);
  }
}

/** Buffers one virsh's stdout and stderr and cuts them into replies. */
export class VirshFramer {
  private readonly pipes = { stdout: new Incoming(), stderr: new Incoming() };

  constructor(private readonly tag: string) {}

  /** The text to write to virsh's stdin for command number `seq`. */
  script(seq: number, command: string): string {
    const mark = `'${this.tag}'':${seq}:'`;
    return `${command}\necho --err ${mark}\necho ${mark}\n`;
  }

  /** Adds what virsh wrote on one of its pipes. */
  push(pipe: "stdout" | "stderr", chunk: string): void {
    this.pipes[pipe].parts.push(chunk);
  }

  /** Whatever stderr holds that belongs to no reply yet (why virsh exited, say). */
  pendingErrors(): string {
    return this.pipes.stderr.parts.join("").trim();
  }

  /**
   * The replies to command `seq` (the oldest not yet taken) once both its markers are in; of
   * several, one without output may have failed (its errors are not told apart): undefined.
   */
  take(seq: number, commands: readonly string[]): Array<VirshReply | undefined> | undefined {
    const { stdout, stderr } = this.pipes;
    const mark = `${this.tag}:${seq}:`;
    const [outAt, errAt] = [stdout.find(mark), stderr.find(`${mark}\n`)];
    if (outAt < 0 || errAt < 0) return undefined;
    // The marker's own line ("error: MARK\n") is cut off with it: not an error.
    const errors = [...stderr.cut(errAt, mark.length + 1).matchAll(ERROR_LINE)].map((m) => m[1]!);
    const outputs = cutOutputs(stdout.cut(outAt, mark.length), commands);
    if (commands.length === 1) return [{ output: outputs?.[0] ?? "", errors }];
    return commands.map((_, i) => (outputs?.[i] ? { output: outputs[i], errors: [] } : undefined));
  }
}

/**
 * The outputs of commands sent as one (their lines joined): each is what follows readline's
 * echo of it, up to the next prompt (the last: up to the marker commands' prompts). A virsh
 * without readline echoes nothing: one output is then all between prompts, several unknown.
 */
export function cutOutputs(segment: string, commands: readonly string[]): string[] | undefined {
  const prompt = PROMPT.exec(segment)?.[0];
  if (prompt === undefined) return undefined;
  const end = segment.lastIndexOf(prompt, segment.lastIndexOf(prompt) - 1);
  const body = segment.slice(prompt.length, end);
  const parts = commands.length === 1 ? [body] : body.split(/(?<=\n)virsh [>#] /);
  if (parts.length !== commands.length) return undefined;
  const outputs = parts.map((part, i) => {
    const echo = `${commands[i]}\n`;
    return part.startsWith(echo) ? part.slice(echo.length) : parts.length === 1 ? part : undefined;
  });
  return outputs.every((o) => o !== undefined) ? outputs : undefined;
}

/**
 * Quotes one argument for virsh's command-line parser: a backslash before every character
 * that is not plainly safe. Names with control characters cannot be sent on one line.
 */
export function virshArg(value: string): string | undefined {
  if (value === "" || [...value].some((ch) => ch < " " || ch === "\x7f")) return undefined;
  return value.replace(/[^A-Za-z0-9._:@+=,-]/gu, (ch) => `\\${ch}`);
}
