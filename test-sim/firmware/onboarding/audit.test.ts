/**
 * The audit trail on the device (docs/lifecycle.md "Audit on the device"): the events a pairing and a
 * session leave, read back from flash with the audit key and over an authenticated session
 * (AUDIT_READ), tampering reported, no key bytes anywhere on flash; and DECOMMISSION (§5).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { generateKeyPair, type KeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession, type Session } from "../../../commissioner/session.ts";
import { toHex, utf8Encode } from "../../../commissioner/bytes.ts";
import { AuditLog, AuditEvent, AUDIT_HEADER, AUDIT_ENTRY, type AuditEntry } from "../../../firmware/lifecycle/audit.ts";
import { purposeKey, PURPOSE } from "../../../firmware/lifecycle/labels.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { flashRegion } from "../../../hal/flash-region.ts";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { boot, connect, openGate, ready, reboot, shortPress, CODE, type World } from "./harness.ts";
import type { SimTrngScenario } from "../../../hal/sim/trng.ts";

const T = 3000;
const fast = { stepTimeoutMs: T };
const E = AuditEvent;

/** The sim board has 8 pages: the store on 0 … 5, the audit trail on 6 and 7. */
const storeArea = (w: World) => flashRegion(w.flash, 0, 6);
const auditArea = (w: World) => flashRegion(w.flash, 6, 2);
const auditKey = () => purposeKey(defaultSimSecret(), PURPOSE.AUDIT, 32);

const keyId = (pub: Uint8Array) => toHex(createHash("sha256").update(pub).digest().subarray(0, 4));

/** The trail as the audit key reads it from flash (the device stopped or between operations). */
function trail(w: World) {
  const log = AuditLog(auditArea(w), auditKey());
  const out: AuditEntry[] = [];
  const v = log.verify((e) => out.push({ ...e, detail: e.detail.slice(), raw: e.raw.slice() }));
  log.close();
  return { v, entries: out, events: out.map((e) => e.event) };
}

async function wrongAttempt(w: World): Promise<void> {
  const r = await pair(connect(w).t, { code: "20202022", identity: generateKeyPair(), ...fast }).then(() => null, (e) => e);
  assert.equal(r?.code, "PAIRING_FAILED");
}

async function session(w: World, me: KeyPair, dev: Uint8Array): Promise<Session> {
  return openSession(connect(w).t, { identity: me, devicePublicKey: dev, handshakeTimeoutMs: T, idleTimeoutMs: T });
}

const contains = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).indexOf(Buffer.from(needle)) >= 0;

test("a failed attempt, a pairing and a session leave BOOT … SESSION_OPENED in a trail that verifies; AUDIT_READ returns the same entries; no key bytes on flash", async () => {
  const w = ready(boot());
  await wrongAttempt(w);
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  const s = await session(w, me, res.devicePublicKey);
  assert.deepEqual(await s.echo(utf8Encode("hi"), T), utf8Encode("hi"));
  // The session keys, captured from the commissioner's side (the device holds the same two).
  const cs = s as unknown as { sendCs: { k: Uint8Array }; recvCs: { k: Uint8Array } };
  const sessionKeys = [cs.sendCs.k.slice(), cs.recvCs.k.slice()];
  const report = await s.readAudit(0, T);
  s.close();
  w.device.stop();

  const t = trail(w);
  assert.ok(t.v.ok, t.v.reason);
  assert.deepEqual(t.events, [E.BOOT, E.ENTROPY_READY, E.KEY_GENERATED, E.PAIRING_FAILED, E.PAIRING_OK, E.SESSION_OPENED]);
  const by = (ev: number) => t.entries.find((e) => e.event === ev)!;
  assert.equal(toHex(by(E.KEY_GENERATED).detail), "01" + keyId(res.devicePublicKey), "kind identity ‖ id of the device public key");
  assert.deepEqual([...by(E.PAIRING_FAILED).detail], [1, 0, 0, 0, 0], "one failed attempt so far");
  assert.equal(toHex(by(E.PAIRING_OK).detail), keyId(me.publicKey) + "00");
  assert.equal(toHex(by(E.SESSION_OPENED).detail), keyId(me.publicKey) + "00");
  assert.equal(by(E.ENTROPY_READY).detail[0] * 256 + by(E.ENTROPY_READY).detail[1], 256, "credited bits");
  assert.deepEqual(t.entries.map((e) => e.seq), [0, 1, 2, 3, 4, 5]);
  assert.ok(t.entries.every((e) => e.boot === 0));

  // Over the session: the device's verdict and the raw entries, byte for byte.
  assert.equal(report.verdict, "ok");
  assert.equal(report.highestSeq, 5);
  assert.deepEqual(report.entries.map((e) => toHex(e.raw)), t.entries.map((e) => toHex(e.raw)));
  assert.deepEqual(report.entries.map((e) => e.event), t.events);

  // No key bytes anywhere on flash: identity private key, session keys, the audit key, the root.
  const st = openStore(storeArea(w), defaultSimSecret());
  const id = st.get("id")!;
  st.close();
  assert.equal(id.length, 32);
  const img = w.flash.image();
  for (const [name, k] of [["identity", id], ["session send", sessionKeys[0]], ["session recv", sessionKeys[1]], ["audit key", auditKey()], ["root", defaultSimSecret()]] as const) {
    assert.ok(!k.every((b) => b === 0), name + " captured");
    assert.ok(!contains(img, k), name + " key bytes found on flash");
    assert.ok(!contains(img, k.subarray(0, 8)), name + ": even 8 bytes of it found on flash");
  }
  // The audit pages hold key ids only, not even public keys.
  const auditImg = img.subarray(6 * 4096);
  assert.ok(!contains(auditImg, res.devicePublicKey.subarray(0, 8)));
  assert.ok(!contains(auditImg, me.publicKey.subarray(0, 8)));
});

test("boots are numbered across reboots; AUDIT_READ pages a trail longer than one message (31 entries)", async () => {
  let w = boot();
  for (let i = 0; i < 20; i++) {
    openGate(w);
    w = reboot(w);
  }
  ready(w);
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  const s = await session(w, me, res.devicePublicKey);
  const report = await s.readAudit(0, T);
  const tail = await s.readAudit(40, T);
  s.close();
  w.device.stop();
  const t = trail(w);
  assert.ok(t.v.ok);
  assert.ok(t.entries.length > 31 * 1 + 2, "more than one AUDIT_ENTRIES: " + t.entries.length);
  assert.deepEqual(report.entries.map((e) => toHex(e.raw)), t.entries.map((e) => toHex(e.raw)));
  assert.deepEqual(tail.entries.map((e) => e.seq), t.entries.filter((e) => e.seq >= 40).map((e) => e.seq));
  assert.deepEqual(t.entries.filter((e) => e.event === E.BOOT).map((e) => e.boot), Array.from({ length: 21 }, (_, i) => i));
});

test("an edited trail on flash: the device's AUDIT_READ says 'broken' with the first bad sequence number", async () => {
  let w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  w.device.stop();
  // Entry 2 of the first audit page (page 6 of the area): flip its event code.
  const img = w.flash.image();
  const base = 6 * 4096 + AUDIT_HEADER;
  const slot = [0, 1, 2, 3].find((i) => img[base + i * AUDIT_ENTRY + 3] === 2)!;
  img[base + slot * AUDIT_ENTRY + 10] ^= 0x04;
  w.flash.load(img);
  w = reboot(w);
  openGate(w);
  assert.ok(w.logs.some((l) => l.includes("audit trail: the chain breaks at entry 2")), w.logs.join("\n"));
  const s = await session(w, me, res.devicePublicKey);
  const report = await s.readAudit(0, T);
  s.close();
  assert.equal(report.verdict, "broken");
  assert.equal(report.firstBad, 2);
  const edited = toHex(img.subarray(base + slot * AUDIT_ENTRY, base + (slot + 1) * AUDIT_ENTRY));
  assert.ok(!report.entries.some((e) => toHex(e.raw) === edited), "the edited entry is not handed out as verified");
  // The device goes on after the last entry that verified (its next entries reuse seq 2 …).
  assert.equal(report.entries.filter((e) => e.event === AuditEvent.PAIRING_OK).length, 0, "PAIRING_OK was entry 3, after the edit");
});

test("a board area under 6 pages has no audit trail (logged); AUDIT_READ answers 'none'", async () => {
  const flash = new SimFlash({ pageSize: 4096, pageCount: 4, writeSize: 4 });
  const w = ready(boot({ flash }));
  assert.ok(w.logs.some((l) => l.startsWith("audit trail: none")), w.logs.join("\n"));
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  const s = await session(w, me, res.devicePublicKey);
  const report = await s.readAudit(0, T);
  s.close();
  assert.equal(report.verdict, "none");
  assert.equal(report.entries.length, 0);
  w.device.stop();
  const st = openStore(flash, defaultSimSecret());
  assert.deepEqual(st.names(), ["fails", "id", "pair", "seed"], "the store has the whole area");
  st.close();
});

test("DECOMMISSION over a session: ACK, credentials shredded, unpaired; the old commissioner gets NOT_PAIRED; a press and a new pairing work; all audited", async () => {
  let w = ready(boot());
  const me = generateKeyPair();
  const first = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  const s = await session(w, me, first.devicePublicKey);
  await s.decommission(T);
  assert.equal(s.closed, true);
  assert.equal(w.device.state(), "unpaired");
  assert.equal(w.device.status().paired, false);
  assert.equal(w.device.identityPublicKey(), null);
  assert.ok(w.logs.some((l) => l.startsWith("decommissioned")), w.logs.join("\n"));

  const refused = await session(w, me, first.devicePublicKey).then(() => null, (e) => e);
  assert.equal(refused?.code, "NOT_PAIRED");
  // Setup stays closed until a press.
  const early = await pair(connect(w).t, { code: CODE, identity: me, ...fast }).then(() => null, (e) => e);
  assert.equal(early?.code, "WINDOW_CLOSED");

  // After a reboot too: the store is empty of credentials.
  w = reboot(w);
  openGate(w);
  assert.equal(w.device.state(), "unpaired");
  w.device.stop();
  const st = openStore(storeArea(w), defaultSimSecret());
  const names = st.names();
  st.close();
  assert.ok(!names.includes("id") && !names.includes("pair"), names.join(","));
  // The old identity key's bytes are gone from flash (crypto-shred plus erase).
  w = reboot(w);
  openGate(w);
  shortPress(w);
  assert.equal(w.device.state(), "window-open");
  const second = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  assert.notEqual(toHex(second.devicePublicKey), toHex(first.devicePublicKey), "a new identity key");
  const s2 = await session(w, me, second.devicePublicKey);
  assert.deepEqual(await s2.echo(utf8Encode("again"), T), utf8Encode("again"));
  const report = await s2.readAudit(0, T);
  s2.close();
  const ev = report.entries.map((e) => e.event);
  const d = ev.indexOf(E.DECOMMISSIONED);
  assert.ok(d > ev.indexOf(E.SESSION_OPENED), ev.join(","));
  assert.deepEqual(ev.slice(d), [E.DECOMMISSIONED, E.BOOT, E.ENTROPY_READY, E.BOOT, E.ENTROPY_READY, E.KEY_GENERATED, E.PAIRING_OK, E.SESSION_OPENED]);
  assert.equal(report.verdict, "ok", "the trail outlives the shred (the sim board has a device secret)");
  const gens = report.entries.filter((e) => e.event === E.KEY_GENERATED).map((e) => toHex(e.detail));
  assert.deepEqual(gens, ["01" + keyId(first.devicePublicKey), "01" + keyId(second.devicePublicKey)]);
});

test("a factory reset (long press) is audited before the shred, and the trail survives it", async () => {
  let w = ready(boot());
  await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast });
  w.hal.button.press(10200);
  w.clock.advance(10300);
  assert.equal(w.rebooted, true);
  w = reboot(w);
  openGate(w);
  w.device.stop();
  const t = trail(w);
  assert.ok(t.v.ok);
  assert.deepEqual(t.events, [E.BOOT, E.ENTROPY_READY, E.KEY_GENERATED, E.PAIRING_OK, E.FACTORY_RESET, E.BOOT, E.ENTROPY_READY]);
});

test("a stuck TRNG is audited as ENTROPY_FAILED with the health test that failed", () => {
  const w = boot({ trng: { kind: "stuck", value: 0x42 } });
  for (let i = 0; i < 200 && w.device.state() !== "entropy-failed"; i++) w.clock.advance(10);
  assert.equal(w.device.state(), "entropy-failed");
  w.device.stop();
  const t = trail(w);
  assert.deepEqual(t.events, [E.BOOT, E.ENTROPY_FAILED]);
  assert.ok([1, 2].includes(t.entries[1].detail[0]), "repetition count or adaptive proportion: " + t.entries[1].detail[0]);
});


test("a health alarm after the gate opened is logged and audited as ENTROPY_ALARM; a second one in the same boot fails the gate", () => {
  // The simulated TRNG reads its scenario live: one stuck 64-byte chunk is one alarm.
  const sc: SimTrngScenario = { kind: "healthy", seed: "alarm twice" };
  const w = boot({ trng: sc });
  openGate(w);
  const stuckChunk = () => {
    sc.kind = "stuck";
    sc.value = 0x42;
    w.clock.advance(1000);
    sc.kind = "healthy";
  };
  stuckChunk();
  assert.equal(w.device.state(), "unpaired", "the first alarm is re-tested: the gate stays open");
  assert.ok(w.logs.some((l) => /entropy health alarm 1 on sim: repetition-count; re-testing/.test(l)), w.logs.join("\n"));
  w.clock.advance(6 * 3600 * 1000);
  assert.equal(w.device.state(), "unpaired", "re-test passed; six hours on");
  stuckChunk();
  assert.equal(w.device.state(), "entropy-failed");
  assert.ok(w.logs.some((l) => /entropy health alarm 2 on sim: repetition-count; the gate fails/.test(l)), w.logs.join("\n"));
  w.device.stop();
  const t = trail(w);
  assert.ok(t.v.ok);
  assert.deepEqual(t.events, [E.BOOT, E.ENTROPY_READY, E.ENTROPY_ALARM, E.ENTROPY_ALARM, E.ENTROPY_FAILED]);
  assert.deepEqual([...t.entries[2].detail], [1, 1, 0, 0, 0], "repetition count, alarm 1, source 0 (the TRNG)");
  assert.deepEqual([...t.entries[3].detail], [1, 2, 0, 0, 0], "repetition count, alarm 2, source 0");
  assert.equal(t.entries[4].detail[0], 1);
  assert.ok(t.entries[3].seconds - t.entries[2].seconds >= 6 * 3600);
});

test("power-cut sweep over DECOMMISSION: after the reboot the device is paired (no ACK was sent) or has no credentials; an ACK always means shredded", async () => {
  async function pairedSession() {
    const w = ready(boot());
    const me = generateKeyPair();
    const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
    const s = await session(w, me, res.devicePublicKey);
    return { w, me, dev: res.devicePublicKey, s };
  }
  const probe = await pairedSession();
  const before = probe.w.flash.opCount();
  await probe.s.decommission(T);
  const total = probe.w.flash.opCount() - before;
  probe.w.device.stop();
  assert.ok(total >= 3, "an audit entry and a shred: " + total);
  const outcomes = new Set<string>();
  for (let n = 1; n <= total; n++) {
    let { w, me, dev, s } = await pairedSession();
    w.flash.cutPowerAfter(n);
    const acked = await s.decommission(500).then(() => true, () => false);
    assert.equal(w.device.state(), "halted", "cut " + n);
    w = reboot(w);
    openGate(w);
    const st = w.device.status();
    outcomes.add(st.paired ? "paired" : "unpaired");
    if (acked) assert.equal(st.paired, false, "cut " + n + ": ACK from a device that kept its credentials");
    if (st.paired) {
      const again = await session(w, me, dev);
      assert.deepEqual(await again.echo(utf8Encode("still here"), T), utf8Encode("still here"), "cut " + n);
      again.close();
    } else {
      assert.equal(w.device.identityPublicKey(), null, "cut " + n);
      const r = await session(w, me, dev).then(() => null, (e) => e);
      assert.equal(r?.code, "NOT_PAIRED", "cut " + n);
    }
    w.device.stop();
    const t = trail(w);
    assert.ok(t.v.ok, "cut " + n + ": " + t.v.reason);
    if (!st.paired) assert.ok(t.events.includes(E.DECOMMISSIONED), "cut " + n + ": a shred without its audit entry");
  }
  assert.ok(outcomes.has("paired") && outcomes.has("unpaired"), [...outcomes].join(" "));
});

test("rekeys are audited per direction; a key page lost at boot (the store reformatted) is audited as a factory reset", async () => {
  let w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, rekeyMessages: 2, ...fast });
  const s = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: T, idleTimeoutMs: T, rekeyMessages: 3 });
  for (let i = 0; i < 5; i++) await s.echo(Uint8Array.of(i), T);
  s.close();
  const sent = w.device.status().session.rekeysSent, received = w.device.status().session.rekeysReceived;
  assert.ok(sent > 0 && received > 0);
  w.device.stop();
  let t = trail(w);
  const rekeys = t.entries.filter((e) => e.event === E.SESSION_REKEYED).map((e) => e.detail[0]);
  assert.equal(rekeys.filter((d) => d === 1).length, sent);
  assert.equal(rekeys.filter((d) => d === 2).length, received);

  const st = openStore(storeArea(w), defaultSimSecret());
  const kp = st.stats().keyPage;
  st.close();
  assert.equal(w.flash.erase(kp), null);
  w = reboot(w);
  openGate(w);
  w.device.stop();
  t = trail(w);
  assert.ok(t.v.ok);
  assert.deepEqual(t.events.slice(-3), [E.BOOT, E.FACTORY_RESET, E.ENTROPY_READY]);
});

test("malformed AUDIT_READ / DECOMMISSION / ROTATE_* bodies are PROTO_BAD_PAYLOAD: the session ends, nothing is shredded or rotated", async () => {
  const w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  for (const [app, body] of [[0x10, [0, 0, 0]], [0x10, [0, 0, 0, 0, 0]], [0x12, [1]], [0x13, [0]], [0x15, [1, 2, 3]]] as const) {
    const s = await session(w, me, res.devicePublicKey);
    await s.send(app, Uint8Array.from(body));
    const r = await s.receive(T).then(() => null, (e) => e);
    assert.equal(r?.code, "PROTOCOL", "app " + app);
    assert.equal(r?.detail, "PROTO_BAD_PAYLOAD", "app " + app);
    assert.equal(w.device.status().paired, true);
    assert.equal(toHex(w.device.identityPublicKey()!), toHex(res.devicePublicKey));
  }
  w.device.stop();
  assert.ok(!trail(w).events.includes(E.DECOMMISSIONED));
  assert.ok(!trail(w).events.includes(E.IDENTITY_ROTATION_BEGIN));
});
