/**
 * A reader racing the writer: run as its own process (`node hosts-reader.js FILE FIRST`), it
 * reads and parses the hosts file over and over until its stdin closes (or 60 s pass), then
 * prints what it saw as JSON: how many reads, every distinct mdserver block, and every read
 * that was not a whole file (not starting with the line FIRST, which is always there — a
 * truncated file does not —, a block begun and not ended, a last line without its newline,
 * a line that is not `<address> <name>…`).
 */
import { readFileSync } from "node:fs";
import { BLOCK_END, BLOCK_START } from "../../../src/dns/hosts-file.js";

const file = process.argv[2] ?? "";
const first = process.argv[3] ?? "";
const blocks = new Set<string>();
const broken: string[] = [];
let reads = 0;
let open = true;
process.stdin.on("end", () => (open = false)).resume();

/** The block's lines, or a reason the text is not a whole file. */
function parse(text: string): { block: string } | { broken: string } {
  if (!text.startsWith(`${first}\n`)) return { broken: `no first line: "${text.slice(0, 40)}"` };
  if (!text.endsWith("\n")) return { broken: "no final newline" };
  const lines = text.slice(0, -1).split("\n");
  const start = lines.indexOf(BLOCK_START);
  if (start < 0) return { block: "" };
  const end = lines.indexOf(BLOCK_END, start);
  if (end < 0) return { broken: "block not ended" };
  const own = lines.slice(start + 1, end);
  const bad = own.find((line) => !/^[0-9.]+( [a-z0-9.-]+)+$/.test(line));
  return bad === undefined ? { block: own.join("\n") } : { broken: `bad line "${bad}"` };
}

process.stderr.write("reading\n");
const deadline = Date.now() + 60_000;
while (open && Date.now() < deadline) {
  // Let the stdin "end" event through now and then.
  for (let i = 0; i < 200; i++) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      broken.push(`cannot read: ${(error as Error).message}`);
      continue;
    }
    reads++;
    const result = parse(text);
    if ("block" in result) blocks.add(result.block);
    else if (broken.length < 20) broken.push(result.broken);
  }
  await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(`${JSON.stringify({ reads, blocks: [...blocks], broken })}\n`);
