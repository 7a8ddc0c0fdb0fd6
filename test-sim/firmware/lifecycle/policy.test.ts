import { test } from "node:test";
import assert from "node:assert/strict";
import { rotationPolicy } from "../../../firmware/lifecycle/policy.ts";

test("each trigger makes rotation due, whichever comes first", () => {
  const p = rotationPolicy({ maxUses: 3, maxBytes: 100, maxAgeMs: 1000 }, 0);
  assert.equal(p.due(0), "");
  p.record(10); p.record(10);
  assert.equal(p.due(10), "");
  p.record(10);
  assert.equal(p.due(10), "uses");
  p.reset(20);
  p.record(150);
  assert.equal(p.due(20), "bytes");
  p.reset(20);
  assert.equal(p.due(1019), "");
  assert.equal(p.due(1020), "age");
  p.reset(2000);
  p.request("registrar");
  assert.equal(p.due(2000), "registrar");
  p.reset(2000);
  assert.equal(p.due(2000), "");
  assert.deepEqual(p.usage(), { uses: 0, bytes: 0, sinceMs: 2000 });
});

test("a zero limit means no limit", () => {
  const p = rotationPolicy({ maxUses: 0, maxBytes: 0, maxAgeMs: 0 }, 0);
  for (let i = 0; i < 1000; i++) p.record(1 << 20);
  assert.equal(p.due(1e12), "");
});

test("bad limits are refused with POLICY_BAD_LIMIT", () => {
  for (const bad of [-1, 1.5, NaN, 2 ** 60]) {
    assert.throws(() => rotationPolicy({ maxUses: bad, maxBytes: 0, maxAgeMs: 0 }, 0), (e: { code?: string }) => e.code === "POLICY_BAD_LIMIT");
  }
});
