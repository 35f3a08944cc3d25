/**
 * The user-data served when no file matches: the original's built-in #cloud-config, which
 * sets the hostname and installs the "default" ssh key. Pure.
 */
export function builtinUserdata(values: ReadonlyMap<string, string>): string {
  const hostname = values.get("hostname") ?? "";
  const lines = [
    "#cloud-config",
    `hostname: ${hostname}`,
    `local-hostname: ${hostname}`,
    `fqdn: ${hostname}.localdomain`,
    "manage_etc_hosts: true",
  ];
  // The original printed a placeholder when no default key was configured; omit it instead.
  const key = values.get("public_key_default");
  if (key !== undefined) lines.push("ssh_authorized_keys:", `    - ${key}`);
  return `${lines.join("\n")}\n`;
}
