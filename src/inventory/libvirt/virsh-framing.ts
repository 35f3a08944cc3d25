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

// The prompt virsh shows: "virsh > " on a read-only connection, "virsh # " on a read-write one.
const PROMPT = /^virsh [>#] /;
// virsh reports a lost connection when it notices, between commands: it belongs to no command.
const ERROR_LINE = /^error: (?!Disconnected from .* due to )(.*)\n/gm;

/**
 * Text from one of virsh's pipes, kept in the chunks it came in until a marker is found: each
 * chunk is searched once and joined once (not the whole buffer on every chunk).
 */
class Incoming {
  /** What has not been taken. */
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

  /** The reply to command `seq` (the oldest not yet taken), once both its markers are in. */
  take(seq: number, command: string): VirshReply | undefined {
    const { stdout, stderr } = this.pipes;
    const mark = `${this.tag}:${seq}:`;
    const [outAt, errAt] = [stdout.find(mark), stderr.find(`${mark}\n`)];
    if (outAt < 0 || errAt < 0) return undefined;
    // The marker's own line ("error: MARK\n") is cut off with it: not an error.
    const errors = [...stderr.cut(errAt, mark.length + 1).matchAll(ERROR_LINE)];
    const output = strip(stdout.cut(outAt, mark.length), command);
    return { output, errors: errors.map((match) => match[1]!) };
  }
}

/**
 * A command's output: what lies between its prompt and echoed command line (a virsh without
 * readline echoes none) and the prompts of the two marker commands that follow it.
 */
function strip(segment: string, command: string): string {
  const prompt = PROMPT.exec(segment)?.[0];
  if (prompt === undefined) return segment;
  const echoed = segment.startsWith(`${command}\n`, prompt.length);
  const start = prompt.length + (echoed ? command.length + 1 : 0);
  return segment.slice(start, segment.lastIndexOf(prompt, segment.lastIndexOf(prompt) - 1));
}

/**
 * Cuts the output of several commands sent as one (their lines joined, one pair of markers
 * after the last) into one output each, at the prompt virsh shows before reading each
 * command, which readline echoes with the command. Undefined when the output does not look
 * like that (a virsh without readline's echo). A prompt inside an output cannot be taken for
 * one: XML escapes ">", and every output ends with a newline.
 */
export function cutOutputs(output: string, commands: readonly string[]): string[] | undefined {
  const parts = output.split(/(?<=\n)virsh > /);
  if (parts.length !== commands.length) return undefined;
  const outputs = parts.map((part, i) =>
    part.startsWith(`${commands[i]}\n`) ? part.slice(commands[i]!.length + 1) : undefined,
  );
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
