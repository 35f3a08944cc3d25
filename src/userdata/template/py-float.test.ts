import assert from "node:assert/strict";
import { test } from "node:test";
import { fixedText, floatRepr, generalText, sciFormatText } from "./py-float.js";

test("repr() as Python writes floats", () => {
  const cases: Array<[number, string]> = [
    [1, "1.0"],
    [-0, "-0.0"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [123456789.12345679, "123456789.12345679"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
  ];
  for (const [x, repr] of cases) assert.equal(floatRepr(x), repr, String(x));
});

test("fixed-point rounds the exact binary value, ties to even (JavaScript's toFixed rounds ties up)", () => {
  assert.equal(fixedText(2.5, 0, false), "2");
  assert.equal(fixedText(3.5, 0, false), "4");
  assert.equal(fixedText(0.125, 2, false), "0.12");
  assert.equal(fixedText(2.675, 2, false), "2.67"); // 2.67499999… in binary
  assert.equal(fixedText(1e22, 1, false), "10000000000000000000000.0");
  assert.equal(fixedText(3, 0, true), "3.");
});

test("exponent and general formats", () => {
  assert.equal(sciFormatText(12345.678, 6, false), "1.234568e+04");
  assert.equal(sciFormatText(9.96, 1, false), "1.0e+01");
  assert.equal(generalText(1234.5, 6, false, false), "1234.5");
  assert.equal(generalText(1e20, 6, false, false), "1e+20");
  assert.equal(generalText(0.0001, 6, false, false), "0.0001");
  assert.equal(generalText(123, 6, true, false), "123.000");
  // No type with a precision: one digit after the point, exponent one place sooner.
  assert.equal(generalText(10, 3, false, true), "10.0");
  assert.equal(generalText(100, 3, false, true), "1e+02");
});
