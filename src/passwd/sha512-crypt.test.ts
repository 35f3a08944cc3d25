import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { randomSalt, sha512Crypt } from "./sha512-crypt.js";

test("the specification's test vectors", () => {
  assert.equal(
    sha512Crypt("Hello world!", "saltstring"),
    "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
  );
  assert.equal(
    sha512Crypt("Hello world!", "saltstringsaltstring", 10000),
    "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
  );
  assert.equal(
    sha512Crypt("we have a short salt string but not a short password", "short", 77777),
    "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0",
  );
});

test("openssl computes the same hash for the same salt, long and non-ASCII passwords too", () => {
  for (const password of ["secret", "pässwörd ✓", "x".repeat(200)]) {
    const salt = randomSalt();
    assert.match(salt, /^[./0-9A-Za-z]{16}$/);
    const expected = execFileSync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], {
      input: `${password}\n`,
      encoding: "utf8",
    }).trim();
    assert.equal(sha512Crypt(password, salt), expected, password);
  }
});
