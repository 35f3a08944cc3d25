/**
 * The text of a dnsmasq additional hosts file with mdserver's lines in it. Pure.
 *
 * The file is shared: libvirt writes its own network's <dns><host> entries into the same
 * file, and an administrator may add lines. mdserver owns only the lines between its two
 * marker comments and keeps every other line as it is, where it is. Its block is written
 * where it was (at the end the first time) and removed when there is nothing to say.
 */
import type { DnsRecord } from "./dns-records.js";

/** The first line of mdserver's block. */
export const BLOCK_START = "# BEGIN mdserver: guest names, rewritten by mdserver on every change";
/** The last line of mdserver's block. */
export const BLOCK_END = "# END mdserver";

const isStart = (line: string) => line.trim().startsWith("# BEGIN mdserver");
const isEnd = (line: string) => line.trim() === BLOCK_END;

/** One hosts line: `<address> <name> <name>…`, as the original wrote them. */
export function hostsLine(record: DnsRecord): string {
  return `${record.address} ${record.names.join(" ")}`;
}

/** The lines of `text` that are not mdserver's, and where mdserver's block stood. */
export function splitHostsFile(text: string): { foreign: string[]; blockAt: number | undefined } {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const foreign: string[] = [];
  let blockAt: number | undefined;
  let inBlock = false;
  for (const line of lines) {
    if (!inBlock && isStart(line)) {
      inBlock = true;
      blockAt ??= foreign.length;
    } else if (inBlock) {
      // A block whose end marker was lost runs to the end of the file.
      if (isEnd(line)) inBlock = false;
    } else {
      foreign.push(line);
    }
  }
  return { foreign, blockAt };
}

/** mdserver's lines only (what a reader of the file would take as its records). */
export function ownLines(text: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex(isStart);
  if (start < 0) return [];
  const end = lines.findIndex((line, i) => i > start && isEnd(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== "");
}

/**
 * The file's new text: `current` with mdserver's block replaced by one line per record
 * (records in the order given). Returns `current` itself when nothing changes.
 */
export function renderHostsFile(current: string, records: readonly DnsRecord[]): string {
  const { foreign, blockAt } = splitHostsFile(current);
  const block = records.length === 0 ? [] : [BLOCK_START, ...records.map(hostsLine), BLOCK_END];
  const at = blockAt ?? foreign.length;
  const lines = [...foreign.slice(0, at), ...block, ...foreign.slice(at)];
  const text = lines.length === 0 ? "" : `${lines.join("\n")}\n`;
  // A file mdserver has nothing to say in is not touched (not even to end it with a newline).
  if (blockAt === undefined && block.length === 0) return current;
  return text === current ? current : text;
}
