/**
 * Cuts the output of one interactive virsh into one reply per command. Every command is
 * followed by `echo --err MARK` and `echo MARK`, so its stdout and stderr end where MARK
 * appears: replies come in order, so MARK (a random tag and ':') is the same for all. It is
 * written 'TAG'':' so that readline's echo of the command line never contains it.
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
// The marker's own line leaves "error: " without its newline: no error either.
const ERROR_LINE = /^error: (?!Disconnected from .* due to )(.*)\n/gm;

/** One of virsh's pipes, cut at each marker: each chunk searched once, each reply joined once. */
class Incoming {
  /** The text before each marker, oldest first. */
  readonly replies: string[] = [];
  /** The text after the last marker. */
  readonly parts: string[] = [];
  // The end of `parts`, one character shorter than a marker: where one may have begun.
  private held = "";

  push(chunk: string, marker: string): void {
    const window = this.held + chunk;
    const at = window.indexOf(marker);
    this.parts.push(chunk);
    this.held = at < 0 ? window.slice(1 - marker.length) : "";
    if (at < 0) return;
    const text = this.parts.splice(0).join("");
    const end = text.length - window.length + at;
    this.replies.push(text.slice(0, end));
    this.push(text.slice(end + marker.length), marker);
  }
}

/** Buffers one virsh's stdout and stderr and cuts them into replies. */
export class VirshFramer {
  private readonly pipes = { stdout: new Incoming(), stderr: new Incoming() };

  constructor(private readonly tag: string) {}

  /** The text to write to virsh's stdin for `command`. */
  script(command: string): string {
    return `${command}\necho --err '${this.tag}'':'\necho '${this.tag}'':'\n`;
  }

  /** Adds what virsh wrote on one of its pipes. */
  push(pipe: "stdout" | "stderr", chunk: string): void {
    this.pipes[pipe].push(chunk, `${this.tag}:`);
  }

  /** Whatever stderr holds that belongs to no reply yet (why virsh exited, say). */
  pendingErrors(): string {
    return this.pipes.stderr.parts.join("").trim();
  }

  /** The replies to the oldest commands not yet taken once both markers are in (see runAll). */
  take(commands: readonly string[]): Array<VirshReply | undefined> | undefined {
    const { stdout, stderr } = this.pipes;
    if (stdout.replies.length === 0 || stderr.replies.length === 0) return undefined;
    const errors = [...stderr.replies.shift()!.matchAll(ERROR_LINE)].map((m) => m[1]!);
    const outputs = cutOutputs(stdout.replies.shift()!, commands);
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

/** One argument for virsh's parser, unsafe characters escaped; undefined for control ones. */
export function virshArg(value: string): string | undefined {
  if (value === "" || [...value].some((ch) => ch < " " || ch === "\x7f")) return undefined;
  return value.replace(/[^A-Za-z0-9._:@+=,-]/gu, (ch) => `\\${ch}`);
}
