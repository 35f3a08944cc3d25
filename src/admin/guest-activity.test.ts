import assert from "node:assert/strict";
import { test } from "node:test";
import { ERRORS_KEPT, GuestActivity } from "./guest-activity.js";

test("GuestActivity keeps the last fetch of each kind, and forgets guests that went", () => {
  const activity = new GuestActivity();
  activity.fetched("a", "meta-data", { at: 1, path: "/latest/meta-data/", status: 200 });
  activity.fetched("a", "meta-data", { at: 2, path: "/latest/meta-data/x", status: 404 });
  activity.fetched("a", "user-data", { at: 3, path: "/latest/user-data", status: 500 });
  activity.fetched("b", "user-data", { at: 4, path: "/nocloud/user-data", status: 200 });
  assert.deepEqual(activity.of("a"), {
    "meta-data": { at: 2, path: "/latest/meta-data/x", status: 404 },
    "user-data": { at: 3, path: "/latest/user-data", status: 500 },
  });
  activity.forget(new Set(["b"]));
  assert.deepEqual(activity.of("a"), {});
  assert.equal(activity.size, 1);
});

test("GuestActivity keeps only the newest errors", () => {
  const activity = new GuestActivity();
  for (let n = 0; n < ERRORS_KEPT + 5; n++) {
    activity.failed({ at: n, client: "10.0.0.1", path: "/", status: 500, message: `e${n}` });
  }
  const errors = activity.recentErrors();
  assert.equal(errors.length, ERRORS_KEPT);
  assert.equal(errors[0]?.message, `e${ERRORS_KEPT + 4}`);
});
