/**
 * Issue 10 item 1 on the device: someone with flash access keeps the store's key page, erases its
 * other pages, reboots and pairs again with the printed setup code. The device must not take the
 * store for a fresh one under the same key (that gave two records one nonce, and the XOR of their
 * ciphertexts the identity key): it starts a new key generation, audits a factory reset, and no
 * two different records on either image share a record key and nonce.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPair } from "../../../commissioner/noise.ts";
import { pair } from "../../../commissioner/pairing.ts";
import { toHex } from "../../../commissioner/bytes.ts";
import { AuditLog, AuditEvent } from "../../../firmware/lifecycle/audit.ts";
import { purposeKey, PURPOSE } from "../../../firmware/lifecycle/labels.ts";
import { SALT, SALT_LEN } from "../../../firmware/store/format.ts";
import { PG_DATA, PG_KEY, scanPage } from "../../../firmware/store/scan.ts";
import { flashRegion } from "../../../hal/flash-region.ts";
import { defaultSimSecret } from "../../../hal/sim/device-secret.ts";
import { boot, connect, ready, reboot, CODE, type World } from "./harness.ts";

const fast = { stepTimeoutMs: 3000 };
/** The sim board: the store on pages 0 … 5 (4 KB each), the audit trail on 6 and 7. */
const P = 4096, STORE_PAGES = 6;

interface Rec { key: string; select: string; bytes: string }

/** Every record of the store area, with the seed of the key page it was sealed under. */
function records(img: Uint8Array): { seed: string; generation: number; recs: Rec[] } {
  let seed = "", generation = -1;
  const recs: Rec[] = [];
  for (let p = 0; p < STORE_PAGES; p++) {
    const sc = scanPage(img.subarray(p * P, (p + 1) * P), P);
    if (sc.state === PG_KEY && sc.slot) { seed = toHex(sc.slot.seed); generation = sc.slot.generation; }
  }
  for (let p = 0; p < STORE_PAGES; p++) {
    const b = img.subarray(p * P, (p + 1) * P), sc = scanPage(b, P);
    if (sc.state !== PG_DATA) continue;
    for (const r of sc.records) {
      // What selects the keystream (§2): the record key (key page seed, salt) and the nonce (generation, version).
      const select = toHex(b.subarray(r.off + 4, r.off + 12)) + "/" + toHex(b.subarray(r.off + SALT, r.off + SALT + SALT_LEN));
      recs.push({ key: seed, select, bytes: toHex(b.subarray(r.off, r.off + r.size)) });
    }
  }
  return { seed, generation, recs };
}

function auditEvents(w: World): number[] {
  const log = AuditLog(flashRegion(w.flash, 6, 2), purposeKey(defaultSimSecret(), PURPOSE.AUDIT, 32));
  const out: number[] = [];
  log.verify((e) => out.push(e.event));
  log.close();
  return out;
}

test("erased data pages under a kept key page: the device starts a new key generation, audits a factory reset, and re-pairing repeats no nonce", async () => {
  let w = ready(boot());
  await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast });
  const id1 = w.device.identityPublicKey()!;
  w.device.stop();
  const a = records(w.flash.image());
  assert.ok(a.recs.length >= 4, "records of the first life: " + a.recs.length);
  for (let p = 0; p < STORE_PAGES; p++) {
    const sc = scanPage(w.flash.image().subarray(p * P, (p + 1) * P), P);
    if (sc.state !== PG_KEY) assert.equal(w.flash.erase(p), null);
  }
  const before = auditEvents(w).length;
  w = reboot(w);
  ready(w);
  assert.ok(w.logs.some((l) => l.includes("data pages were erased under a used key page")), w.logs.join("\n"));
  assert.deepEqual(auditEvents(w).slice(before, before + 2), [AuditEvent.BOOT, AuditEvent.FACTORY_RESET]);
  await pair(connect(w).t, { code: CODE, identity: generateKeyPair(), ...fast });
  const id2 = w.device.identityPublicKey()!;
  w.device.stop();
  const b = records(w.flash.image());
  assert.notEqual(toHex(id1), toHex(id2));
  assert.ok(b.generation > a.generation, `generation ${a.generation} → ${b.generation}`);
  assert.notEqual(b.seed, a.seed, "the used key page is never written under again");
  // Nowhere on either image do two different records share a record key and a nonce.
  const seen = new Map<string, string>();
  for (const r of [...a.recs, ...b.recs]) {
    const k = r.key + "/" + r.select, prev = seen.get(k);
    if (prev !== undefined) assert.equal(prev, r.bytes, "two records share key and nonce: " + k);
    seen.set(k, r.bytes);
  }
});
