/** Table-driven checks: each row a path and the exact answer expected there. */
import assert from "node:assert/strict";
import type { TestServer } from "../../helpers/test-server.js";

/** A path, and either its exact 200 text/plain body or the full expected answer. */
export type Row =
  | readonly [path: string, body: string]
  | readonly [path: string, expected: { status: number; body?: string; contentType?: string }];

/** Requests every row's path from `from` and checks status, body and content type exactly. */
export async function expectRows(
  server: TestServer,
  from: string,
  rows: readonly Row[],
  headers: Record<string, string> = {},
): Promise<void> {
  for (const [path, want] of rows) {
    const expected =
      typeof want === "string" ? { status: 200, body: want, contentType: "text/plain" } : want;
    const res = await server.request(path, { from, headers });
    const where = `${from} GET ${path}`;
    assert.equal(
      res.status,
      expected.status,
      `${where}: status (body ${JSON.stringify(res.body)})`,
    );
    if (expected.body !== undefined) assert.equal(res.body, expected.body, `${where}: body`);
    if (expected.contentType !== undefined) {
      assert.equal(res.headers["content-type"], expected.contentType, `${where}: content type`);
    }
  }
}

/** `rows` with every path put under `/<version>/`. */
export function underVersion(version: string, rows: readonly Row[]): Row[] {
  return rows.map(([path, want]) => [`/${version}/${path}`, want] as Row);
}
