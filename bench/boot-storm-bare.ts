/**
 * The yardstick for bench/boot-storm: a bare node:http server answering cloud-init's Ec2
 * sequence with constant strings (the paths and bodies mdserver gave one guest, read from a
 * JSON file). Run as its own process: `node build/bench/boot-storm-bare.js PORT ANSWERS.json`.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const port = Number(process.argv[2]);
const answers = new Map<string, string>(
  Object.entries(JSON.parse(readFileSync(process.argv[3] ?? "", "utf8")) as object),
);
const TOKEN = "AQAEAbareTokenbareTokenbareTokenbareToken==";

createServer((req, res) => {
  res.setHeader("Content-Type", "text/plain");
  if (req.method === "PUT" && req.url === "/latest/api/token") return void res.end(TOKEN);
  const body = answers.get(req.url ?? "");
  if (body === undefined) res.statusCode = 404;
  res.end(body ?? "not found");
}).listen(port, "127.0.0.1", () => process.stdout.write("listening\n"));
