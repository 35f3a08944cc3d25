import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDatasourceList, parseMetadataReads } from "./guest-facts.js";

// Lines as a Debian 12 guest (cloud-init 22.4) wrote them in the real-guest test.
test("ds-identify's datasource_list is read from /run/cloud-init/cloud.cfg", () => {
  assert.deepEqual(parseDatasourceList("datasource_list: [ Ec2, None ]\n"), ["Ec2", "None"]);
  assert.deepEqual(parseDatasourceList("# di_report:\n"), []);
});

test("cloud-init's reads from the metadata address are found in its log, others are not", () => {
  const log = [
    "2026-11-28 09:27:47,612 - url_helper.py[DEBUG]: Read from http://169.254.169.254/latest/api/token (200, 52b) after 1 attempts",
    "2026-11-28 09:27:47,706 - url_helper.py[DEBUG]: Read from http://169.254.169.254/2021-03-23/meta-data/instance-id (200, 19b) after 1 attempts",
    "2026-11-28 09:27:47,710 - url_helper.py[DEBUG]: Read from http://10.0.0.1/2021-03-23/user-data (200, 301b) after 1 attempts",
    "2026-11-28 09:27:41,344 - util.py[DEBUG]: Reading from /var/lib/cloud/instance/obj.pkl (quiet=False)",
  ].join("\n");
  assert.deepEqual(parseMetadataReads(log), [
    { url: "http://169.254.169.254/latest/api/token", status: 200 },
    { url: "http://169.254.169.254/2021-03-23/meta-data/instance-id", status: 200 },
  ]);
});
