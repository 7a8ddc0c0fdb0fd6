import { test } from "node:test";
import assert from "node:assert/strict";
import { hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { labelRegistry, PURPOSE, PURPOSE_PREFIX, findLabel, purposeKey } from "../../../firmware/lifecycle/labels.ts";
import { ROOT } from "../../../build/paths.ts";

const root = Uint8Array.from({ length: 32 }, (_, i) => i);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("no two registered labels are equal", () => {
  const seen = new Set<string>();
  for (const e of labelRegistry()) {
    assert.ok(!seen.has(e.label), "duplicate label " + e.label);
    seen.add(e.label);
  }
  assert.ok(labelRegistry().length >= 11);
});

test("purpose labels are versioned and have one length; construction labels have none", () => {
  for (const e of labelRegistry()) {
    if (e.kind === "purpose") {
      assert.ok(e.label.startsWith(PURPOSE_PREFIX), e.label);
      assert.ok(e.length >= 16 && e.length <= 64, e.label);
    } else {
      assert.equal(e.kind, "construction");
      assert.equal(e.length, 0, e.label);
    }
    assert.ok(e.what.length > 0 && e.where.length > 0, e.label);
  }
  for (const l of Object.values(PURPOSE)) assert.equal(findLabel(l)?.kind, "purpose", l);
});

test("every label the code uses is registered, and the registry names where it is used", () => {
  for (const e of labelRegistry()) {
    for (const file of e.where.split(",").map((w) => w.trim().split(" ")[0]).filter((f) => /\.ts$/.test(f))) {
      const src = readFileSync(join(ROOT, file), "utf8");
      if (e.kind === "construction") assert.ok(src.includes(`"${e.label}"`), `${e.label} not found in ${file}`);
    }
  }
  const used = new Set<string>();
  for (const file of ["firmware/entropy/gate.ts", "firmware/entropy/boot-seed.ts", "firmware/store/keys.ts", "firmware/onboarding/pairing.ts",
    "commissioner/pairing.ts", "commissioner/session.ts", "registrar/derive.ts", "registrar/master-key.ts"]) {
    for (const m of readFileSync(join(ROOT, file), "utf8").matchAll(/"(firstlight[ /][^"]*)"/g)) used.add(m[1]);
  }
  for (const l of used) assert.ok(findLabel(l), `label "${l}" is used but not registered`);
});

test("purposeKey is HKDF-SHA256(root, salt = empty, info = label): a vector from node:crypto", () => {
  const want = Buffer.from(hkdfSync("sha256", root, Buffer.alloc(0), Buffer.from("firstlight/1 audit"), 32)).toString("hex");
  // Pinned as well: root = 00 01 … 1f.
  assert.equal(want, "0f223522008782f2d77370efe8c384620420cf98213df81cfd2122b17b207ead");
  assert.equal(hex(purposeKey(root, PURPOSE.AUDIT, 32)), want);
  const other = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
  assert.equal(hex(purposeKey(other, PURPOSE.AUDIT, 32)),
    Buffer.from(hkdfSync("sha256", other, Buffer.alloc(0), Buffer.from("firstlight/1 audit"), 32)).toString("hex"));
  assert.notEqual(hex(purposeKey(other, PURPOSE.AUDIT, 32)), want);
});

test("keys for different labels differ", () => {
  const keys = new Map<string, string>();
  for (const e of labelRegistry().filter((x) => x.kind === "purpose")) keys.set(e.label, hex(purposeKey(root, e.label, e.length)));
  // Every other registered label, derived the same way (independently, by node:crypto), gives another key.
  for (const e of labelRegistry()) {
    const k = Buffer.from(hkdfSync("sha256", root, Buffer.alloc(0), Buffer.from(e.label), 32)).toString("hex");
    for (const [l, v] of keys) if (l !== e.label) assert.notEqual(v, k, `${l} and ${e.label}`);
  }
  assert.equal(new Set(keys.values()).size, keys.size);
});

test("unknown labels, construction labels, other lengths and bad roots are refused", () => {
  const code = (f: () => unknown, c: string, m: RegExp) =>
    assert.throws(f, (e: Error & { code?: string }) => e.code === c && m.test(e.message));
  code(() => purposeKey(root, "firstlight/1 audi", 32), "LIFECYCLE_BAD_LABEL", /unknown key label "firstlight\/1 audi"/);
  code(() => purposeKey(root, "firstlight/2 audit", 32), "LIFECYCLE_BAD_LABEL", /unknown key label/);
  code(() => purposeKey(root, "firstlight/1 psk", 32), "LIFECYCLE_BAD_LABEL", /not a root purpose label: it belongs to firmware\/onboarding\/pairing\.ts/);
  code(() => purposeKey(root, "firstlight v2 storage", 104), "LIFECYCLE_BAD_LABEL", /not a root purpose label/);
  code(() => purposeKey(root, PURPOSE.AUDIT, 16), "LIFECYCLE_BAD_LABEL", /registered for 32-byte keys, got 16/);
  code(() => purposeKey(new Uint8Array(31), PURPOSE.AUDIT, 32), "LIFECYCLE_BAD_ROOT", /at least 32 bytes, got 31/);
  code(() => purposeKey([1, 2, 3] as unknown as Uint8Array, PURPOSE.AUDIT, 32), "LIFECYCLE_BAD_ROOT", /must be a Uint8Array/);
  code(() => purposeKey(root, 5 as unknown as string, 32), "LIFECYCLE_BAD_LABEL", /label must be a string/);
});
