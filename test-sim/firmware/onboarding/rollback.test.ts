/**
 * Issue 10 item 8 (docs/flash-format.md §8): the device has no monotonic counter, so an older image
 * of its flash brings back what a rotation or a decommission destroyed. The commissioner reads the
 * audit trail at every session and the registry refuses a device whose audit sequence number or
 * store key generation went below the high-water marks it recorded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommissioner, openCommissionerState } from "../../../commissioner/cli.node.ts";
import { boot, openGate, ready, reboot, type World } from "./harness.ts";
import { bridge, settled } from "./tcp-bridge.ts";

const CODE = "20202021";
/** The sim board: 8 pages of 4 KB, the store on 0 … 5, the audit trail on 6 and 7. */
const STORE_BYTES = 6 * 4096;

function io() {
  const out: string[] = [], err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

async function session(url: string, dir: string, id: string, ...flags: string[]) {
  const r = io();
  const code = await runCommissioner(["session", "--device", url, "--id", id, ...flags, "--dir", dir, "--timeout", "5"], r.io);
  return { code, out: r.out.join("\n"), err: r.err.join("\n") };
}

async function registry(dir: string, id: string) {
  const st = await openCommissionerState(dir);
  try {
    return { rec: await st.registry.get(id), audit: (await st.registry.auditTrail(id)).map((a) => a.action) };
  } finally {
    await st.close();
  }
}

/** Powers the device down, writes `img` (all of it, or its first `bytes`) back to flash, boots it again. */
function restoreImage(w: World, img: Uint8Array, bytes = img.length): World {
  w.device.stop();
  const now = w.flash.image();
  now.set(img.subarray(0, bytes));
  w.flash.load(now);
  const w2 = reboot(w);
  openGate(w2);
  return w2;
}

for (const what of ["the whole flash", "the store pages alone"] as const) test(`an older image of ${what} after a storage-key rotation is refused at the next session, and the refusal is in the registry's audit`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-rollback-"));
  let w = ready(boot());
  let srv = await bridge(w);
  try {
    const a = io();
    assert.equal(await runCommissioner(["--code", CODE, "--device", srv.url, "--dir", dir, "--timeout", "5"], a.io), 0, a.err.join("\n"));
    const id = a.out.find((l) => l.startsWith("device "))!.split(/\s+/)[1];
    const first = await session(srv.url, dir, id, "--echo", "hi");
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /rollback check: audit sequence \d+, store key generation \d+/);
    await settled(w);
    const old = w.flash.image();
    const marks0 = (await registry(dir, id)).rec;

    const rot = await session(srv.url, dir, id, "--rotate-storage");
    assert.equal(rot.code, 0, rot.err);
    await settled(w);
    const again = await session(srv.url, dir, id, "--echo", "after the rotation");
    assert.equal(again.code, 0, again.err);
    await settled(w);
    const marks1 = (await registry(dir, id)).rec;
    assert.ok(marks1.auditSeqHigh > marks0.auditSeqHigh && marks1.storeGenerationHigh > marks0.storeGenerationHigh, JSON.stringify([marks0, marks1]));

    await srv.close();
    w = restoreImage(w, old, what === "the whole flash" ? old.length : STORE_BYTES);
    srv = await bridge(w);
    const back = await session(srv.url, dir, id, "--echo", "after the restore");
    assert.equal(back.code, 1, back.out);
    assert.match(back.err, /DEVICE_ROLLBACK/);
    assert.match(back.err, what === "the whole flash" ? /audit entry \d+ differs from the one seen before/ : /store key generation \d+/);
    const after = await registry(dir, id);
    assert.equal(after.audit[after.audit.length - 1], "rollback");
    assert.equal(after.rec.auditSeqHigh, marks1.auditSeqHigh, "a refused read never lowers the marks");
  } finally {
    await srv.close();
    w.device.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the store pages of before a factory reset, restored with the audit pages kept, are refused at the next session (DEVICE_ROLLBACK)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-rollback-"));
  let w = ready(boot());
  let srv = await bridge(w);
  try {
    const a = io();
    assert.equal(await runCommissioner(["--code", CODE, "--device", srv.url, "--dir", dir, "--timeout", "5"], a.io), 0, a.err.join("\n"));
    const id = a.out.find((l) => l.startsWith("device "))!.split(/\s+/)[1];
    const first = await session(srv.url, dir, id, "--echo", "hi");
    assert.equal(first.code, 0, first.err);
    await settled(w);
    const old = w.flash.image();
    await srv.close();
    // The owner's factory reset (10 s press): FACTORY_RESET audited, store shredded, reboot.
    const until = w.hal.button.press(10500, { bounceEdges: 4 });
    w.clock.advance(10100);
    assert.equal(w.rebooted, true);
    w.clock.advance(until - w.clock.now() + 100);
    // Before it boots again, the attacker writes the old store pages back (the audit pages are kept).
    w = restoreImage(w, old, STORE_BYTES);
    assert.equal(w.device.state(), "paired", "the restored store brings the pairing back");
    srv = await bridge(w);
    const back = await session(srv.url, dir, id, "--echo", "after the restore");
    assert.equal(back.code, 1, back.out);
    assert.match(back.err, /DEVICE_ROLLBACK/);
    assert.match(back.err, /factory reset/);
    const after = await registry(dir, id);
    assert.equal(after.audit[after.audit.length - 1], "rollback");
  } finally {
    await srv.close();
    w.device.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
