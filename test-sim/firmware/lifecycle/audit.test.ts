/** firmware/lifecycle/audit.ts on the simulated NOR flash: chain, ring, tampering, power cuts, no key bytes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { AuditLog, AuditEvent, AUDIT_HEADER, AUDIT_ENTRY, type AuditEntry } from "../../../firmware/lifecycle/audit.ts";
import { SimFlash, isPowerCut } from "../../../hal/sim/flash.ts";

const KEY = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const geometry = { pageSize: 256, pageCount: 3, writeSize: 4 };
const slots = (geometry.pageSize - AUDIT_HEADER) / AUDIT_ENTRY;

function entries(log: ReturnType<typeof AuditLog>): AuditEntry[] {
  const out: AuditEntry[] = [];
  log.verify((e) => out.push({ ...e, detail: e.detail.slice() }));
  return out;
}

function fill(log: ReturnType<typeof AuditLog>, n: number, from = 0): void {
  for (let i = 0; i < n; i++) log.append(AuditEvent.SESSION_OPENED, 1, from + i, Uint8Array.of(i & 255, 1, 2, 3));
}

test("append and verify: sequence numbers, fields and details come back; a remount continues the chain", () => {
  const flash = new SimFlash(geometry);
  let log = AuditLog(flash, KEY);
  assert.equal(log.append(AuditEvent.BOOT, 7, 0), 0);
  assert.equal(log.append(AuditEvent.KEY_GENERATED, 7, 12.9, Uint8Array.of(1, 0xde, 0xad, 0xbe, 0xef)), 1);
  log.close();
  log = AuditLog(flash, KEY);
  assert.deepEqual(log.mountVerdict, { ok: true, count: 2, firstBad: -1, reason: "", tornTail: false });
  assert.equal(log.append(AuditEvent.PAIRING_FAILED, 8, 3, Uint8Array.of(1)), 2);
  const got = entries(log);
  assert.deepEqual(got.map((e) => [e.seq, e.boot, e.seconds, e.event]), [[0, 7, 0, 1], [1, 7, 12, 4], [2, 8, 3, 7]]);
  assert.deepEqual([...got[1].detail], [1, 0xde, 0xad, 0xbe, 0xef]);
});

test("a full ring recycles the oldest page and still verifies", () => {
  const flash = new SimFlash(geometry);
  const log = AuditLog(flash, KEY);
  const total = slots * geometry.pageCount * 2 + 3;
  fill(log, total);
  const v = log.verify();
  assert.ok(v.ok, v.reason);
  const got = entries(log);
  assert.equal(got[got.length - 1].seq, total - 1);
  assert.ok(got.length > slots * (geometry.pageCount - 1), "all but the recycled page are kept");
  for (let i = 1; i < got.length; i++) assert.equal(got[i].seq, got[i - 1].seq + 1);
  const fresh = AuditLog(flash, KEY);
  assert.ok(fresh.mountVerdict.ok);
  assert.equal(fresh.append(AuditEvent.BOOT, 2, 0), total);
});

test("tampering is detected: an edited, a zeroed or a swapped entry; the wrong key", () => {
  const entryAddr = (slot: number) => AUDIT_HEADER + slot * AUDIT_ENTRY;
  const cases: [string, (img: Uint8Array) => void][] = [
    ["edit the event code of entry 2", (img) => { img[entryAddr(2) + 10] ^= 0x01; }],
    ["zero entry 1 (a NOR 'delete')", (img) => img.fill(0, entryAddr(1), entryAddr(2))],
    ["swap entries 1 and 2", (img) => {
      const a = img.slice(entryAddr(1), entryAddr(2));
      img.copyWithin(entryAddr(1), entryAddr(2), entryAddr(3));
      img.set(a, entryAddr(2));
    }],
  ];
  for (const [name, change] of cases) {
    const flash = new SimFlash(geometry);
    fill(AuditLog(flash, KEY), 5);
    const img = flash.image();
    change(img);
    const tampered = new SimFlash(geometry);
    tampered.load(img);
    const v = AuditLog(tampered, KEY).mountVerdict;
    assert.equal(v.ok, false, name);
    assert.ok(v.firstBad >= 1 && v.firstBad <= 2, name + ": first bad " + v.firstBad);
  }
  const flash = new SimFlash(geometry);
  fill(AuditLog(flash, KEY), 3);
  const wrong = KEY.slice();
  wrong[0] ^= 1;
  assert.equal(AuditLog(flash, wrong).mountVerdict.ok, false);
});

test("an edit stays detected after the log appends more: two failing entries before a good one are not a torn write", () => {
  for (const edited of [[1], [1, 2], [3]]) {
    const flash = new SimFlash(geometry);
    fill(AuditLog(flash, KEY), 4);
    const img = flash.image();
    for (const i of edited) img[AUDIT_HEADER + i * AUDIT_ENTRY + 12] ^= 0x10;
    flash.load(img);
    const log = AuditLog(flash, KEY);
    // The log goes on after the last entry that verified (it cannot tell which came later).
    fill(log, 2, 100);
    const v = log.verify();
    if (edited[0] === 3 && edited.length === 1) {
      // The last entry alone failing, then a good one reusing its number: a torn write, by design
      // indistinguishable (docs/audit-format.md §4).
      assert.ok(v.ok, "single last entry: " + v.reason);
    } else {
      assert.equal(v.ok, false, "edited " + edited);
      assert.equal(v.reason, "tag");
      assert.equal(v.firstBad, edited[0]);
    }
  }
});

test("a dropped middle page is 'page order'", () => {
  const flash = new SimFlash({ ...geometry, pageCount: 4 });
  const log = AuditLog(flash, KEY);
  fill(log, slots * 3 + 1); // pages 0, 1, 2 full, page 3 started
  flash.erase(1);
  const v = AuditLog(flash, KEY).mountVerdict;
  assert.equal(v.ok, false);
  assert.equal(v.reason, "page order");
});

test("a power cut at every flash operation of an append: the log mounts, keeps every committed entry, and goes on", () => {
  for (const torn of ["none", "prefix", "random-bits"] as const) {
    // Enough appends to cross a page boundary (erase + header + entries).
    const n = slots + 2;
    const clean = new SimFlash(geometry);
    const base = AuditLog(clean, KEY);
    const before = clean.opCount();
    fill(base, n);
    const opsPerRun = clean.opCount() - before;
    for (let cut = 1; cut <= opsPerRun; cut++) {
      const flash = new SimFlash({ ...geometry, seed: cut });
      const log = AuditLog(flash, KEY);
      flash.cutPowerAfter(cut, { torn });
      let committed = 0;
      try {
        for (let i = 0; i < n; i++) {
          log.append(AuditEvent.SESSION_OPENED, 1, i, Uint8Array.of(i));
          committed++;
        }
        assert.fail("the cut at op " + cut + " never happened");
      } catch (e) {
        if (!isPowerCut(e)) throw e;
      }
      flash.restorePower();
      const after = AuditLog(flash, KEY);
      const v = after.mountVerdict;
      assert.ok(v.ok, `torn=${torn} cut=${cut}: ${v.reason} at ${v.firstBad}`);
      assert.ok(v.count >= committed, `torn=${torn} cut=${cut}: ${v.count} < ${committed} committed`);
      const seq = after.append(AuditEvent.BOOT, 2, 0);
      assert.equal(seq, v.count, "the next entry follows the last good one");
      assert.ok(after.verify().ok, `torn=${torn} cut=${cut}: the chain goes on after the cut`);
    }
  }
});

test("the trail never holds key material: neither the audit key nor any key it was told about", () => {
  const flash = new SimFlash(geometry);
  const log = AuditLog(flash, KEY);
  fill(log, slots * 2);
  const img = flash.image();
  const contains = (hay: Uint8Array, needle: Uint8Array, len: number) => {
    for (let i = 0; i + len <= hay.length; i++) {
      let j = 0;
      while (j < len && hay[i + j] === needle[j]) j++;
      if (j === len) return true;
    }
    return false;
  };
  for (let off = 0; off + 8 <= 32; off += 4) assert.equal(contains(img, KEY.subarray(off), 8), false, "key bytes at " + off);
  assert.throws(() => log.append(AuditEvent.KEY_GENERATED, 1, 0, new Uint8Array(6)), /at most 5 bytes/);
});

test("bad input: unknown events, too few pages, a write size that does not divide an entry", () => {
  const log = AuditLog(new SimFlash(geometry), KEY);
  assert.throws(() => log.append(0, 1, 0), (e: any) => e.code === "AUDIT_BAD_EVENT");
  assert.throws(() => log.append(256, 1, 0), (e: any) => e.code === "AUDIT_BAD_EVENT");
  assert.throws(() => AuditLog(new SimFlash({ ...geometry, pageCount: 1 }), KEY), (e: any) => e.code === "AUDIT_BAD_CONFIG");
});

test("close() wipes the log's copy of the key, not the caller's", () => {
  const mine = KEY.slice();
  const log = AuditLog(new SimFlash(geometry), mine);
  log.close();
  assert.deepEqual(mine, KEY);
});

test("onMount sees exactly the entries verify() does, in the mount walk", () => {
  const flash = new SimFlash(geometry);
  const n = Math.floor(slots) + 3; // across a page boundary
  fill(AuditLog(flash, KEY), n);
  const seen: number[] = [];
  const log = AuditLog(flash, KEY, (e) => seen.push(e.seq));
  assert.deepEqual(seen, entries(log).map((e) => e.seq));
  assert.equal(seen.length, n);
  assert.equal(log.mountVerdict.count, n);
});
