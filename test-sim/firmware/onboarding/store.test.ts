/** The device on the real store (firmware/store on SimFlash): what is on flash, and damaged stores. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { openSession } from "../../../commissioner/session.ts";
import { openStore } from "../../../firmware/store/index.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { x25519Base } from "../../../firmware/crypto/x25519.ts";
import { toHex } from "../../../commissioner/bytes.ts";
import { AuditEvent } from "../../../firmware/lifecycle/audit.ts";
import { boardAreas } from "../../../firmware/onboarding/board-store.ts";
import { boot, connect, fails, memoryStore, openGate, ready, reboot, shortPress, CODE } from "./harness.ts";

const fast = { stepTimeoutMs: 3000 };

test("after pairing the store holds the identity, the pairing record, the counter and the boot seed — and no plaintext key", async () => {
  const w = ready(boot());
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, label: "hall", ...fast });
  w.device.stop();
  const s = openStore(w.flash, defaultSimSecret());
  assert.deepEqual(s.names(), ["fails", "id", "pair", "seed"]);
  const id = s.get("id")!;
  assert.equal(toHex(x25519Base(id)), toHex(res.devicePublicKey));
  const rec = s.get("pair")!;
  assert.equal(toHex(rec.subarray(0, 32)), toHex(me.publicKey));
  assert.deepEqual([...s.get("fails")!], [0]);
  // Neither the identity private key nor the commissioner key appears on flash in the clear.
  const img = Buffer.from(w.flash.image());
  assert.equal(img.indexOf(Buffer.from(id)), -1);
  assert.equal(img.indexOf(Buffer.from(me.publicKey)), -1);
  s.close();
});

test("a lost key page (STORE_CORRUPT) is reformatted at boot: the device comes up unpaired instead of not at all", async () => {
  let w = ready(boot());
  await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast });
  w.device.stop();
  const s = openStore(w.flash, defaultSimSecret());
  const kp = s.stats().keyPage;
  s.close();
  assert.equal(w.flash.erase(kp), null);
  w = reboot(w);
  openGate(w);
  assert.ok(w.logs.some((l) => l.includes("reformatting")), w.logs.join("\n"));
  assert.equal(w.device.state(), "unpaired");
  shortPress(w);
  assert.equal(w.device.state(), "window-open");
});

test("an unreadable pairing record keeps setup closed; sessions get BUSY with the store's code; a factory reset recovers", async () => {
  const store = memoryStore();
  const get = store.get;
  let w = ready(boot({ store }));
  const me = generateKeyPair();
  const res = await pair(connect(w).t, { code: CODE, identity: me, ...fast });
  store.get = (n: string) => {
    if (n === "pair") throw Object.assign(new Error("STORE_AUTH: does not authenticate"), { code: "STORE_AUTH" });
    return get(n);
  };
  w = reboot(w, { store });
  openGate(w);
  assert.equal(w.device.state(), "paired");
  shortPress(w);
  assert.equal(w.device.state(), "paired");
  const r = await openSession(connect(w).t, { identity: me, devicePublicKey: res.devicePublicKey, handshakeTimeoutMs: 3000 }).then(() => null, (e) => e);
  assert.equal(r.code, "BUSY");
  assert.equal(r.detail, "STORE_AUTH");
  store.get = get;
  w.hal.button.press(10200);
  w.clock.advance(10300);
  assert.equal(store.shreds, 1);
  w = reboot(w, { store });
  openGate(w);
  assert.equal(w.device.state(), "unpaired");
});

test("a damaged `fails` record does not stop the boot: it reads as 20 (locked), said on the console and in the audit trail", async () => {
  const store = memoryStore();
  const get = store.get;
  let w = ready(boot({ store }));
  await pair(connect(w).t, { code: "20202022", identity: generateKeyPair(), ...fast }).catch(() => null);
  assert.equal(fails(w), 1);
  store.get = (n: string) => {
    if (n === "fails") throw Object.assign(new Error("STORE_AUTH: the newest record of 'fails' does not authenticate"), { code: "STORE_AUTH" });
    return get(n);
  };
  const events: number[][] = [];
  const audit = { enabled: () => true, boot: () => 0, record: (e: number, d?: Uint8Array) => void events.push([e, ...(d ?? [])]), read: () => ({ verdict: { ok: true, count: 0, firstBad: -1, reason: "", tornTail: false }, items: [], more: false }), erase: () => {}, close: () => {} };
  w = reboot(w, { store, audit });
  openGate(w);
  assert.equal(fails(w), 20);
  assert.equal(w.device.state(), "locked");
  assert.ok(w.logs.some((l) => l.includes("failed-attempt counter is unreadable") && l.includes("STORE_AUTH") && l.includes("locked")), w.logs.join("\n"));
  assert.ok(events.some((e) => e[0] === AuditEvent.PAIRING_LOCKED && e[1] === 1), JSON.stringify(events));
  // Locked: a press does not open the window and PAIR_HELLO is answered LOCKED.
  shortPress(w);
  assert.equal(w.device.state(), "locked");
  const r = await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast }).then(() => null, (e) => e);
  assert.equal(r?.code, "LOCKED");
  // The way out is a factory reset.
  w.hal.button.press(10200);
  w.clock.advance(10300);
  assert.equal(store.shreds, 1);
  store.get = get;
  w = reboot(w, { store });
  openGate(w);
  assert.equal(fails(w), 0);
  shortPress(w);
  assert.equal(w.device.state(), "window-open");
  w.device.stop();
});

/** The pages of the store's area (the audit's pages follow them) that hold something. */
function usedStorePages(w: ReturnType<typeof boot>): number[] {
  const P = w.flash.pageSize, n = boardAreas(w.flash).store.pageCount, img = w.flash.image(), used: number[] = [];
  for (let p = 0; p < n; p++) if (img.subarray(p * P, (p + 1) * P).some((x) => x !== 0xff)) used.push(p);
  return used;
}

test("damaged records are said on the console, not only in the audit", async () => {
  let w = ready(boot());
  await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast });
  w.device.stop();
  const s = openStore(w.flash, defaultSimSecret());
  const kp = s.stats().keyPage;
  s.close();
  // Every page but the key page: which one holds the records depends on the rotations so far.
  const img = w.flash.image();
  for (const data of usedStorePages(w).filter((p) => p !== kp)) for (let i = 40; i < 80; i++) img[data * w.flash.pageSize + i] ^= 0x55;
  w.flash.load(img);
  w = reboot(w);
  assert.ok(w.logs.some((l) => /store: \d+ damaged record\(s\) skipped at mount; what they held is lost/.test(l)), w.logs.join("\n"));
});

test("a wrecked store (no key page, pages of noise) is said on the console before it starts empty", async () => {
  let w = ready(boot());
  await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast });
  w.device.stop();
  const P = w.flash.pageSize, img = w.flash.image(), used = usedStorePages(w);
  for (const p of used) for (let i = 0; i < P; i++) img[p * P + i] = (i * 7 + p * 13) & 0xff;
  w.flash.load(img);
  w = reboot(w);
  assert.ok(w.logs.some((l) => l.includes(`store: no key page and ${used.length} unreadable page(s): the store starts empty`)), w.logs.join("\n"));
  openGate(w);
  assert.equal(w.device.state(), "unpaired");
});
