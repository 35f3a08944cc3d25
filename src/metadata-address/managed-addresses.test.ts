import assert from "node:assert/strict";
import { test } from "node:test";
import { managedAddresses } from "./managed-addresses.js";

test("the metadata addresses are managed as host addresses; any-address and loopback are not", () => {
  assert.deepEqual(
    managedAddresses([
      "169.254.169.254",
      "fd00:ec2::254",
      "0.0.0.0",
      "::",
      "127.0.0.1",
      "::1",
      "fe80::1%virbr0",
    ]),
    [
      { address: "169.254.169.254", cidr: "169.254.169.254/32", v6: false },
      { address: "fd00:ec2::254", cidr: "fd00:ec2::254/128", v6: true },
    ],
  );
});
