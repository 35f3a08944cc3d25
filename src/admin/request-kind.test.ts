import assert from "node:assert/strict";
import { test } from "node:test";
import { documentKind } from "./request-kind.js";

test("documentKind: each layout's meta-data and user-data, and nothing for listings", () => {
  const cases: Array<[string, string | undefined]> = [
    ["/latest/meta-data/hostname", "meta-data"],
    ["/2009-04-04/meta-data/", "meta-data"],
    ["/latest/dynamic/instance-identity/document", "meta-data"],
    ["/latest/user-data", "user-data"],
    ["/latest/user-data/x", undefined],
    ["/latest/", undefined],
    ["/", undefined],
    ["/latest/api/token", undefined],
    ["/openstack/latest/meta_data.json", "meta-data"],
    ["/openstack/2018-08-27/network_data.json", "meta-data"],
    ["/openstack/latest/user_data", "user-data"],
    ["/openstack/latest/vendor_data.json", undefined],
    ["/openstack", undefined],
    ["/nocloud/meta-data", "meta-data"],
    ["/nocloud/user-data", "user-data"],
    ["/nocloud/vendor-data", undefined],
    ["/service/name", undefined],
  ];
  for (const [path, kind] of cases) {
    assert.equal(documentKind(path.split("/").filter((s) => s !== "")), kind, path);
  }
});
