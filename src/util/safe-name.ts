/**
 * Instance names and MACs become file names under userdata_dir. Only a name that is a single
 * path component (no separator, not "." or "..", no NUL) is ever used, so nothing outside
 * that directory can be named, whatever a domain is called.
 */
export function isSafeName(name: string): boolean {
  return (
    name !== "" &&
    name !== "." &&
    name !== ".." &&
    !name.includes("/") &&
    !name.includes("\\") &&
    !name.includes("\0")
  );
}
