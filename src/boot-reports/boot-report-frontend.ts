/**
 * Takes the boot reports guests post (cloud-init's phone_home module, enabled by the built-in
 * vendor-data) at /mdserver/boot-report. The guest is the one its source address identifies,
 * like every request: what it posts can only ever be its own report, and a stranger gets 404.
 */
import { text, type Reply } from "../http/reply.js";
import type { Frontend, MetadataRequest } from "../frontends/frontend.js";
import { methodNotAllowed } from "../frontends/serve-node.js";
import type { BootReportStore } from "./boot-report-store.js";
import { parsePhoneHomeForm } from "./phone-home-form.js";
import { BOOT_REPORT_PATH } from "./phone-home-vendor-data.js";

/** Largest body taken: phone_home posts about 1.5 KiB (three host keys, two names). */
export const MAX_BODY_BYTES = 16 * 1024;

const [FIRST, SECOND] = BOOT_REPORT_PATH;

/** The frontend of /mdserver/boot-report: POST only. */
export function createBootReportFrontend(
  store: BootReportStore,
  received: () => void = () => {},
): Frontend {
  return {
    methods: ["POST"],
    matches: (segments) => segments.length === 2 && segments[0] === FIRST && segments[1] === SECOND,
    handle: async (request: MetadataRequest): Promise<Reply> => {
      if (request.method !== "POST" || request.readBody === undefined) {
        throw methodNotAllowed("POST");
      }
      const body = await request.readBody(MAX_BODY_BYTES);
      const form = parsePhoneHomeForm(body.toString("utf8"));
      const { instance } = request.identity;
      store.record({
        uuid: instance.uuid,
        name: instance.name,
        address: request.client,
        instanceId: form.instanceId,
        hostname: form.hostname,
        receivedAt: Date.now(),
        hostKeys: form.hostKeys,
      });
      received();
      return text("ok");
    },
  };
}
