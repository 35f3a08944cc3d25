/** An [instance:NAME] section (added by this project): a guest declared in the config file. */
import { z } from "zod";
import { canonicalAddressList, isUuid, normaliseMac } from "../values.js";

export const INSTANCE_SECTION_PREFIX = "instance:";

export const instanceSection = z
  .object({
    ip: canonicalAddressList,
    mac: z
      .string()
      .transform((value, ctx) => {
        const mac = normaliseMac(value);
        if (mac === undefined) {
          ctx.addIssue({ code: "custom", message: `"${value}" is not a MAC address` });
          return z.NEVER;
        }
        return mac;
      })
      .optional(),
    uuid: z
      .string()
      .trim()
      .refine(isUuid, { message: "is not a UUID (8-4-4-4-12 hex digits)" })
      .transform((value) => value.toLowerCase())
      .optional(),
    network: z.string().trim().min(1).optional(),
  })
  .strict();

export type InstanceSectionConfig = z.output<typeof instanceSection>;
