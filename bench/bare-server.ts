/**
 * The yardstick for bench/http-throughput: a bare node:http server answering one constant
 * string, with the same content type mdserver sends. Run as its own process:
 * `node build/bench/bare-server.js PORT`.
 */
import { createServer } from "node:http";

const port = Number(process.argv[2]);
const body = "i-0123456789abcdef0";
createServer((_req, res) => {
  res.setHeader("Content-Type", "text/plain");
  res.end(body);
}).listen(port, "127.0.0.1", () => process.stdout.write("listening\n"));
