/**
 * Reads a request body up to a limit: a client cannot make the server hold more than that,
 * whatever Content-Length says or however long a chunked body runs. The time it may take is
 * the server's request time-out.
 */
import type { IncomingMessage } from "node:http";
import { HttpError } from "./reply.js";

/** 413, and the connection closed after it: the rest of a big body is not worth reading. */
function tooLarge(): HttpError {
  return new HttpError(413, "request body too large", { Connection: "close" });
}

/** The whole body of `req`, or a 413 HttpError once it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error): void => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return done(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = (): void => done();
    const onError = (error: Error): void => done(error);
    // Closed before its end: the client went away (nobody reads the answer).
    const onClose = (): void => {
      if (!req.complete) done(new HttpError(400, "request body incomplete"));
    };
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}
