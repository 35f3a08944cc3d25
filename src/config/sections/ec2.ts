/** The [ec2] section (added by this project): values of the EC2-style metadata tree. */
import { z } from "zod";
import { bool, oneOf, text } from "../values.js";

export const ec2Section = z
  .object({
    /** "uuid": i-<17 hex digits of the domain UUID>, stable; "ip": the original's i-<client IP>. */
    instance_id: oneOf(["uuid", "ip"]).default("uuid"),
    /** Refuse GETs without an IMDSv2 session token (401), as an AWS instance with IMDSv2 required. */
    require_token: bool.default(false),
    region: text.default("local-1"),
    /** Defaults to the region followed by "a". */
    availability_zone: text.optional(),
    instance_type: text.default("m1.small"),
    ami_id: text.default("ami-00000000000000000"),
    services_domain: text.default("localdomain"),
  })
  .strict();

export type Ec2Config = z.output<typeof ec2Section>;
