/** What a handler answers; the HTTP layer turns it into a response. */
export interface Reply {
  readonly status: number;
  /** Text (sent as UTF-8) or bytes sent as they are (binary user-data, gzip). */
  readonly body: string | Uint8Array;
  readonly contentType?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Who was served, for the access log only (never sent). */
  readonly instance?: string | undefined;
}

/** An error that maps to one HTTP status; the message is safe to send to the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers?: Readonly<Record<string, string>>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "HttpError";
  }

  /** Who asked, once known, for the access log only (never sent). */
  instance: string | undefined;
}

/** `error` as an HttpError (a 500 for anything else) that names who asked, for the log. */
export function forInstance(error: unknown, instance: string): HttpError {
  const http =
    error instanceof HttpError
      ? error
      : new HttpError(500, "internal error", undefined, { cause: error });
  http.instance = instance;
  return http;
}

export const TEXT = "text/plain";

/** A text/plain reply. */
export function text(body: string, status = 200): Reply {
  return { status, body, contentType: TEXT };
}

/** The one place an error becomes a status: HttpError keeps its own, anything else is a 500. */
export function errorReply(error: unknown): Reply {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: `${error.message}\n`,
      contentType: TEXT,
      headers: error.headers,
      instance: error.instance,
    };
  }
  return { status: 500, body: "internal error\n", contentType: TEXT };
}
