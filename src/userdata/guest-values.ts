/**
 * Every value a template (of any part) can use: the original's (template-values.ts), then
 * what mdserver knows of the guest, then the domain's <metadata> values. Pure.
 */
import type { Config } from "../config/config.js";
import type { DomainMetadata } from "../inventory/domain-metadata.js";
import type { Identity } from "../inventory/instance.js";
import type { TemplateValue } from "./template/compile-template.js";
import { templateValues } from "./template-values.js";

/**
 * The values for `identity`, first setter wins: the original's names (hostname,
 * public_key_NAME, mdserver_password), the domain's `<mds:value>`s (the most specific), the
 * `[template-data]` keys, then the names added by mdserver, so that a `[template-data]` key a
 * 0.5 template relies on keeps its meaning. `instanceId` is the instance-id the frontends serve.
 */
export function guestValues(
  config: Config,
  identity: Identity,
  domain: DomainMetadata,
  instanceId: string,
): Map<string, TemplateValue> {
  const { instance } = identity;
  const asking = instance.interfaces.find((i) => i.addresses.includes(identity.address));
  const own: Array<[string, TemplateValue]> = [
    ["name", instance.name],
    ["uuid", instance.uuid],
    ["instance_id", instanceId],
    ["address", identity.address],
    ["addresses", instance.interfaces.flatMap((i) => i.addresses)],
    ["mac", identity.mac ?? null],
    ["macs", instance.interfaces.flatMap((i) => (i.mac === undefined ? [] : [i.mac]))],
    ["network", asking?.network ?? instance.interfaces.find((i) => i.network)?.network ?? null],
    ["public_keys", Object.fromEntries(config.publicKeys.map(({ name, key }) => [name, key]))],
    ["tags", { ...domain.tags }],
  ];
  // The original's own names first (hostname, public_key_*, mdserver_password), then ours.
  const values = new Map<string, TemplateValue>(
    templateValues({ ...config, templateData: new Map() }, identity),
  );
  for (const [key, value] of Object.entries(domain.values)) {
    if (!values.has(key)) values.set(key, value);
  }
  for (const [key, value] of config.templateData) if (!values.has(key)) values.set(key, value);
  // Last, so that a [template-data] key a 0.5 template relies on keeps its meaning.
  for (const [key, value] of own) if (!values.has(key)) values.set(key, value);
  return values;
}
