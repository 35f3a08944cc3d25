/** The [service] section: what /service/ tells a client about this server. */
import { z } from "zod";
import { VERSION } from "../../version.js";
import { list, text } from "../values.js";

const VERSION_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const serviceSection = z
  .object({
    name: text.default("mdserver"),
    type: text.default("mdserver"),
    version: text.default(VERSION),
    ec2_versions: list((item) =>
      VERSION_PREFIX.test(item) ? undefined : `"${item}" is not a usable version path segment`,
    ).default(["2009-04-04"]),
  })
  .strict();

export type ServiceConfig = z.output<typeof serviceSection>;
