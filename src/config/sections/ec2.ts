/** The [ec2] section (added by this project): values of the EC2-style metadata tree. */
import { z } from "zod";
import { bool, oneOf, text } from "../values.js";

/** Dot-separated DNS labels (letters, digits, hyphens; no leading or trailing hyphen). */
const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

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
    /** When set, meta-data/public-hostname is <instance name>.<public_domain>; unset, no such leaf. */
    public_domain: text
      .refine((value) => DOMAIN.test(value), {
        message: "is not a DNS domain name (such as guests.example.org)",
      })
      .optional(),
  })
  .strict();

export type Ec2Config = z.output<typeof ec2Section>;
