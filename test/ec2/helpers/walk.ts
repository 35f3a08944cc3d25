/** Walks an EC2 tree the way cloud-init's crawler does, recording every path it asked for. */
import type { TestServer } from "../../helpers/test-server.js";

/** One request made by the walk and its answer. */
export interface Visit {
  readonly path: string;
  readonly status: number;
  readonly body: string;
}

/**
 * Fetches `path` (a listing) and then every entry it lists: "name/" as a listing, "N=name" as
 * the directory N/ (which public-keys lists that way), anything else as a leaf.
 */
export async function walk(
  server: TestServer,
  from: string,
  path = "/",
  headers: Record<string, string> = {},
): Promise<Visit[]> {
  const visits: Visit[] = [];
  const visit = async (at: string, isListing: boolean): Promise<void> => {
    const res = await server.request(at, { from, headers });
    visits.push({ path: at, status: res.status, body: res.body });
    if (!isListing || res.status !== 200) return;
    for (const line of res.body.split("\n")) {
      if (line.endsWith("/")) await visit(`${at}${line}`, true);
      else if (/^\d+=/.test(line)) await visit(`${at}${line.split("=")[0]}/`, true);
      else await visit(`${at}${line}`, false);
    }
  };
  await visit(path, true);
  return visits;
}
