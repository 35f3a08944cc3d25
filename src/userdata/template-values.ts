/** The values a user-data template can use, as the original offered them. Pure. */
import type { Config } from "../config/config.js";
import type { Identity } from "../inventory/instance.js";

/**
 * hostname, public_key_<NAME> for each [public-keys] entry, mdserver_password when set, and
 * every [template-data] key that does not shadow one of those (the original's rule).
 */
export function templateValues(config: Config, identity: Identity): Map<string, string> {
  const values = new Map<string, string>();
  values.set("hostname", identity.instance.name);
  for (const { name, key } of config.publicKeys) values.set(`public_key_${name}`, key);
  if (config.mdserver.password !== undefined) {
    values.set("mdserver_password", config.mdserver.password);
  }
  for (const [key, value] of config.templateData) {
    if (!values.has(key)) values.set(key, value);
  }
  return values;
}
