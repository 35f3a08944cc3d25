/**
 * Which EC2 API versions are served: cloud-init's probe list, "latest" and the configured ones.
 * Shared by the EC2 frontend (which serves them) and /service/ (which reports them).
 */
import type { Config } from "../config/config.js";

/** The dated versions cloud-init's Ec2 datasource probes, oldest first. */
export const CLOUD_INIT_EC2_VERSIONS = ["2009-04-04", "2016-09-02", "2018-09-24", "2021-03-23"];

/** Every served version: dated ones in order, other names after them, "latest" last. */
export function servedEc2Versions(config: Config): string[] {
  const all = new Set([...CLOUD_INIT_EC2_VERSIONS, ...config.service.ec2_versions, "latest"]);
  return [...all].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function rank(version: string): number {
  if (version === "latest") return 2;
  return /^\d{4}-\d{2}-\d{2}$/.test(version) ? 0 : 1;
}
