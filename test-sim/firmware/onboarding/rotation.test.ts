/**
 * Identity rotation on request (docs/lifecycle.md "Identity rotation", protocol.md §5): ROTATE_IDENTITY
 * generates a new key beside the old one, ROTATE_CONFIRM makes it the identity and destroys the old;
 * a power cut at any flash operation of the two loses nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateKeyPair, type KeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession, type Session } from "../../../commissioner/session.ts";
import { toHex, utf8Encode } from "../../../commissioner/bytes.ts";
import { AuditLog, AuditEvent as E } from "../../../firmware/lifecycle/audit.ts";
import { purposeKey, PURPOSE } from "../../../firmware/lifecycle/labels.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { flashRegion } from "../../../hal/flash-region.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { boot, connect, openGate, ready, reboot, CODE, type World } from "./harness.ts";

const T = 3000;
const keyId = (pub: Uint8Array) => toHex(createHash("sha256").update(pub).digest().subarray(0, 4));

async function paired(): Promise<{ w: World; me: KeyPair; dev: Uint8Array }> {
  const w = ready(boot());
  const me = generateKeyPair();
  const r = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: T });
  return { w, me, dev: r.devicePublicKey };
}

function session(w: World, me: KeyPair, dev: Uint8Array, timeout = T): Promise<Session> {
  return openSession(connect(w).t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: timeout, idleTimeoutMs: timeout });
}

function events(w: World) {
  const log = AuditLog(flashRegion(w.flash, 6, 2), purposeKey(defaultSimSecret(), PURPOSE.AUDIT, 32));
  const out: { event: number; detail: string }[] = [];
  const v = log.verify((e) => out.push({ event: e.event, detail: toHex(e.detail) }));
  log.close();
  return { v, out };
}

function storeNames(w: World): string[] {
  const s = openStore(flashRegion(w.flash, 0, 6), defaultSimSecret());
  const n = s.names();
  s.close();
  return n;
}

test("rotation: the old key serves until the confirm, the new one after; a repeated request gives the same key; audited", async () => {
  let { w, me, dev } = await paired();
  const s = await session(w, me, dev);
  const next = await s.rotateIdentity(T);
  assert.equal(next.length, 32);
  assert.notEqual(toHex(next), toHex(dev));
  assert.equal(toHex(await s.rotateIdentity(T)), toHex(next), "a repeated ROTATE_IDENTITY returns the pending key");
  assert.equal(toHex(w.device.identityPublicKey()!), toHex(dev), "the old key is the identity until the confirm");
  s.close();
  // Meanwhile sessions still use the old key (and survive a reboot).
  w = reboot(w);
  openGate(w);
  const s2 = await session(w, me, dev);
  assert.deepEqual(await s2.echo(utf8Encode("old key"), T), utf8Encode("old key"));
  // A confirm for some other key is refused and changes nothing.
  const wrong = await s2.confirmRotation(generateKeyPair().publicKey, T).then(() => null, (e) => e);
  assert.equal(wrong?.code, "PROTOCOL");
  assert.equal(toHex(w.device.identityPublicKey()!), toHex(dev));
  const s3 = await session(w, me, dev);
  await s3.confirmRotation(next, T);
  assert.deepEqual(await s3.echo(utf8Encode("same session"), T), utf8Encode("same session"), "the open session goes on");
  // A repeated confirm (its ACK lost) is answered again.
  await s3.confirmRotation(next, T);
  s3.close();
  assert.equal(toHex(w.device.identityPublicKey()!), toHex(next));
  const old = await session(w, me, dev).then(() => null, (e) => e);
  assert.equal(old?.code, "AUTH_FAILED", "the old device key no longer opens a session");
  const s4 = await session(w, me, next);
  assert.deepEqual(await s4.echo(utf8Encode("new key"), T), utf8Encode("new key"));
  s4.close();
  w.device.stop();
  assert.ok(!storeNames(w).includes("id.next"));
  const { v, out } = events(w);
  assert.ok(v.ok);
  const tail = out.slice(out.findIndex((e) => e.event === E.IDENTITY_ROTATION_BEGIN));
  assert.deepEqual(tail.map((e) => e.event).filter((e) => e !== E.SESSION_OPENED && e !== E.BOOT && e !== E.ENTROPY_READY),
    // the repeated confirm rotates the storage key again (a cut before the first rotation must not
    // leave the old key on flash)
    [E.IDENTITY_ROTATION_BEGIN, E.IDENTITY_ROTATED, E.STORAGE_KEY_ROTATED, E.KEY_DESTROYED, E.STORAGE_KEY_ROTATED]);
  assert.equal(tail[0].detail, keyId(next) + "00");
  assert.equal(out.find((e) => e.event === E.IDENTITY_ROTATED)!.detail, keyId(next) + "00");
  assert.equal(out.find((e) => e.event === E.KEY_DESTROYED)!.detail, "01" + keyId(dev));
});

test("power-cut sweep over a rotation: after the reboot the device is paired with the old or the new key, a confirmed one is the new; finishing the rotation works", async () => {
  const probe = await paired();
  const ps = await session(probe.w, probe.me, probe.dev);
  const before = probe.w.flash.opCount();
  const pn = await ps.rotateIdentity(T);
  await ps.confirmRotation(pn, T);
  const total = probe.w.flash.opCount() - before;
  ps.close();
  probe.w.device.stop();
  assert.ok(total >= 4, "two store writes, a removal and audit entries: " + total);
  const seen = new Set<string>();
  for (let n = 1; n <= total; n++) {
    let { w, me, dev } = await paired();
    const s = await session(w, me, dev);
    w.flash.cutPowerAfter(n);
    let next: Uint8Array | null = null, confirmed = false;
    try {
      next = await s.rotateIdentity(500);
      await s.confirmRotation(next, 500);
      confirmed = true;
    } catch {
      /* the device lost power */
    }
    s.close();
    w = reboot(w);
    openGate(w);
    const st = w.device.status();
    assert.equal(st.paired, true, "cut " + n + ": the pairing survives");
    assert.equal(st.failedAttempts, 0);
    const id = toHex(w.device.identityPublicKey()!);
    if (confirmed) assert.equal(id, toHex(next!), "cut " + n + ": confirmed, so the new key");
    else assert.ok(id === toHex(dev) || (next !== null && id === toHex(next)), "cut " + n + ": the old key or the new one");
    seen.add(id === toHex(dev) ? "old" : "new");
    // Finish (or redo) the rotation from whatever state the cut left, with the key the device has.
    const cur = id === toHex(dev) ? dev : next!;
    const s2 = await session(w, me, cur);
    const again = await s2.rotateIdentity(T);
    assert.notEqual(toHex(again), toHex(cur), "cut " + n + ": a rotation always ends on a key other than the current one");
    await s2.confirmRotation(again, T);
    s2.close();
    assert.equal(toHex(w.device.identityPublicKey()!), toHex(again), "cut " + n);
    const s3 = await session(w, me, again);
    assert.deepEqual(await s3.echo(utf8Encode("after cut " + n), T), utf8Encode("after cut " + n));
    s3.close();
    w.device.stop();
    assert.ok(events(w).v.ok, "cut " + n + ": the trail verifies");
  }
  assert.ok(seen.has("old") && seen.has("new"), [...seen].join(" "));
});

function storeStats(w: World) {
  const s = openStore(flashRegion(w.flash, 0, 6), defaultSimSecret());
  const st = s.stats();
  s.close();
  return st;
}

test("the confirm leaves no copy of the old identity on flash: the storage key rotates and every superseded record is erased", async () => {
  const { w, me, dev } = await paired();
  const s = await session(w, me, dev);
  const next = await s.rotateIdentity(T);
  w.device.stop();
  const before = storeStats(w);
  // The identity written at pairing and the pending key beside it: nothing superseded yet is not
  // the point; what matters is what the confirm leaves.
  const w2 = reboot(w);
  openGate(w2);
  const s2 = await session(w2, me, dev);
  await s2.confirmRotation(next, T);
  s2.close();
  w2.device.stop();
  const after = storeStats(w2);
  assert.ok(after.generation > before.generation, `storage key generation ${before.generation} → ${after.generation}`);
  assert.equal(after.usedBytes, after.liveBytes, "no superseded record (the old identity's) is left on flash");
  assert.equal(after.stale, 0);
  const { v, out } = events(w2);
  assert.ok(v.ok);
  const kinds = out.map((e) => e.event);
  const rotated = kinds.indexOf(E.IDENTITY_ROTATED), storage = kinds.lastIndexOf(E.STORAGE_KEY_ROTATED), destroyed = kinds.lastIndexOf(E.KEY_DESTROYED);
  assert.ok(rotated >= 0 && rotated < storage && storage < destroyed, "audited: identity rotated, storage key rotated, old key destroyed");
});
