/** user-data as an HTTP answer, the same in every layout. */
import { HttpError, type Reply } from "../http/reply.js";
import { TemplateError } from "../userdata/template-error.js";
import { UserdataFileError } from "../userdata/userdata-file-error.js";
import type { RenderedUserdata } from "./guest-documents.js";

/** User-data is bytes, whatever they hold. */
export const USERDATA_TYPE = "application/octet-stream";

/**
 * The reply for rendered user-data (undefined: none, which the caller turns into 404 or an
 * empty document). A broken template tells the guest its file's name, the line and the
 * problem; the log has the rest.
 */
export async function userdataReply(
  render: () => Promise<RenderedUserdata | undefined>,
): Promise<Reply | undefined> {
  try {
    const rendered = await render();
    return rendered && { status: 200, body: rendered.body, contentType: USERDATA_TYPE };
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new HttpError(500, `user-data template error: ${error.forGuest()}`, undefined, {
        cause: error,
      });
    }
    if (error instanceof UserdataFileError) {
      throw new HttpError(500, `user-data file error: ${error.forGuest()}`, undefined, {
        cause: error,
      });
    }
    throw error;
  }
}
