/** The instance sources the config asks for. */
import type { Config } from "../config/config.js";
import type { Logger } from "../log/logger.js";
import type { InstanceSource } from "./source.js";
import { StaticSource } from "./static/static-source.js";

export function createSources(config: Config, _log: Logger): InstanceSource[] {
  const sources: InstanceSource[] = [];
  for (const kind of config.mdserver.instance_source) {
    switch (kind) {
      case "static":
        sources.push(new StaticSource(config.instances));
        break;
      case "libvirt":
        throw new Error("the libvirt instance source is not available in this build");
    }
  }
  return sources;
}
