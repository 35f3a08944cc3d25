/** user-data (and the other per-guest parts) as an HTTP answer, the same in every layout. */
import { HttpError, type Reply } from "../http/reply.js";
import type { MaybePromise } from "../http/request.js";
import { TemplateError } from "../userdata/template-error.js";
import { UserdataFileError } from "../userdata/userdata-file-error.js";
import type { RenderedPart } from "../userdata/userdata-service.js";

/** User-data is bytes, whatever they hold. */
export const USERDATA_TYPE = "application/octet-stream";

/**
 * The reply for a rendered part (undefined: none, which the caller turns into 404 or an
 * empty document). A broken template tells the guest its file's name, the line and the
 * problem; the log has the rest.
 */
export async function userdataReply(
  render: () => Promise<RenderedPart | undefined>,
  part = "user-data",
): Promise<Reply | undefined> {
  const rendered = await guestPart(render, part);
  return rendered && { status: 200, body: rendered.body, contentType: USERDATA_TYPE };
}

/** Runs `work`, turning a TemplateError of `part` into a 500 that names the file and place. */
export async function guestPart<T>(work: () => MaybePromise<T>, part: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new HttpError(500, `${part} template error: ${error.forGuest()}`, undefined, {
        cause: error,
      });
    }
    if (error instanceof UserdataFileError) {
      throw new HttpError(500, `${part} file error: ${error.forGuest()}`, undefined, {
        cause: error,
      });
    }
    throw error;
  }
}
