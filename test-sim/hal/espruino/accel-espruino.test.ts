/**
 * The Espruino accelerator glue (hal/espruino/accel.ts) on the real Espruino Linux build
 * (../shared/engines/espruino/espruino, 2v29), with the real blob bytes in its Storage.
 *
 * Covered on the engine: Storage install (and no rewrite of the same bytes), header and CRC-32
 * checks, the signature string, the code address (Thumb bit, entry offset, 4-byte alignment, from
 * a flat RAM copy when Storage is not memory-mapped as here, and from the Storage string's own
 * address when it is), the three argument addresses (they are the flat buffers' and in the order
 * out, scalar, point), argument and result copying, the known-answer check, the AEAD's packed
 * buffer (key ‖ nonce ‖ aad ‖ text ‖ tag, its address and the two lengths, the int result of open,
 * growth past 256 bytes, zeroed after every call) and the core's aeadSeal/aeadOpen through it; the
 * HMAC, HKDF and HMAC_DRBG calls on the same buffer (layout, packed HKDF lengths, K and V copied
 * back) with the core's hmacSha256, hkdfSha256, Noise's HKDF and HmacDrbg making one call each, clear errors when
 * E.nativeCall or the file is missing or damaged, and require("crypto")'s SHA-256/SHA-512 driving
 * the core's hashes, HMAC and HKDF.
 * Not covered here: executing the Thumb code. This x86 build cannot run it, so E.nativeCall is
 * replaced by a fake that checks what it is given and computes the result with the portable
 * X25519 and AEAD; the code itself runs in kernel-blob.test.ts under Unicorn.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hmac } from "@noble/hashes/hmac.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { bundleEs5 } from "../../../build/build.ts";
import { ES5_OUT, ROOT } from "../../../build/paths.ts";
import { buildCortexBlob } from "../../../build/accel-kernel.ts";

const ESPRUINO = join(ROOT, "../shared/engines/espruino/espruino");
const espruino = existsSync(ESPRUINO) ? ESPRUINO : "/work/shared/engines/espruino/espruino";

const ENTRY = `
import { espruinoAccel, espruinoKernel, installAccelBlob, checkAccelBlob, ACCEL_STORAGE_NAME } from "../../../hal/espruino/accel.js";
import { useAccel, ACCEL } from "../../../firmware/crypto/accel.js";
import { x25519 } from "../../../firmware/crypto/x25519.js";
import { elligator2 } from "../../../firmware/protocol/cpace/elligator2.js";
import { sha256 } from "../../../firmware/crypto/sha256.js";
import { Sha512 } from "../../../firmware/crypto/sha512.js";
import { hmacSha256 } from "../../../firmware/crypto/hmac.js";
import { hkdfSha512 } from "../../../firmware/crypto/hkdf.js";
import { aeadSeal, aeadOpen } from "../../../firmware/crypto/aead.js";
import { hkdfSha256 } from "../../../firmware/crypto/hkdf.js";
import { noiseHkdf } from "../../../firmware/protocol/noise/symmetric-state.js";
import { HmacDrbg } from "../../../firmware/entropy/drbg.js";
import { toHex, fromHex } from "../../../firmware/crypto/bytes.js";
T = { espruinoAccel: espruinoAccel, espruinoKernel: espruinoKernel, installAccelBlob: installAccelBlob, checkAccelBlob: checkAccelBlob,
  NAME: ACCEL_STORAGE_NAME, useAccel: useAccel, accel: function () { return ACCEL; }, x25519: x25519, elligator2: elligator2, sha256: sha256, Sha512: Sha512,
  hmacSha256: hmacSha256, hkdfSha512: hkdfSha512, toHex: toHex, fromHex: fromHex, aeadSeal: aeadSeal, aeadOpen: aeadOpen,
  hkdfSha256: hkdfSha256, noiseHkdf: noiseHkdf, HmacDrbg: HmacDrbg };
`;

/** The checks, in ES5 for Espruino; every line printed is "ok NAME" or "fail NAME: why". */
const BODY = `
// This build grows its variable table only for ordinary allocations, and a flat string needs
// contiguous blocks: grow it first (a board has its fixed table, with the kernel in mapped flash).
var grow = []; for (var gi = 0; gi < 6000; gi++) grow.push(gi); grow = undefined;
function check(name, cond, why) { print((cond ? "ok " : "fail ") + name + (cond ? "" : ": " + why)); }
function code(fn) { try { fn(); return "none"; } catch (e) { return e.code + " " + e.message; } }
var blob = atob(BLOB);
var st = require("Storage");
check("install writes", T.installAccelBlob(st, blob) === true, "no write");
check("install again does not rewrite", T.installAccelBlob(st, blob) === false, "rewrote");
check("storage holds the bytes", st.read(T.NAME) === blob, "differs");
var entries = T.checkAccelBlob(blob), entry = entries.x25519;

// Record every flat string made, to map the addresses the kernel gets back to buffers.
var realFlat = E.toFlatString, flats = [];
E.toFlatString = function (v) { var s = realFlat(v); if (s !== undefined) flats.push(s); return s; };
function bufferAt(addr, len) {
  for (var i = 0; i < flats.length; i++) {
    var b = new Uint8Array(E.toArrayBuffer(flats[i]));
    if (E.getAddressOf(b, true) === addr && (len === undefined ? b.length >= 44 : b.length === len)) return b;
  }
  return null;
}
function bufferAt32(addr) { return bufferAt(addr, 32); }
var seen = [];
function portable(f, a, b, c, d) { var saved = T.accel(); T.useAccel(null); var r = f(a, b, c, d); T.useAccel(saved); return r; }
// The AEAD entries: buf = key ‖ nonce ‖ aad ‖ text ‖ tag at address p, as the kernel reads it.
// HMAC, HKDF and the HMAC_DRBG steps on the same buffer layouts (firstlight_accel.h), computed portably.
function sub(B, a, b) { return new Uint8Array(B.subarray(a, b)); }
function fakeKdf(call, which) {
  return function (p, x, y) {
    var B = bufferAt(p);
    call.args = [B !== null, x, y];
    if (!B) return;
    if (which === "hmac") { B.set(portable(T.hmacSha256, sub(B, 0, x), sub(B, x, x + y)), x + y); return; }
    if (which === "hkdf") {
      var sl = x & 0xffff, il = x >>> 16, nl = y & 0xffff, L = y >>> 16;
      B.set(portable(T.hkdfSha256, sub(B, sl, sl + il), sub(B, 0, sl), sub(B, sl + il, sl + il + nl), L), sl + il + nl);
      return;
    }
    var K = sub(B, 0, 32), V = sub(B, 32, 64);
    function upd(data) {
      for (var r = 0; r < (data.length ? 2 : 1); r++) {
        var m = new Uint8Array(33 + data.length); m.set(V); m[32] = r; m.set(data, 33);
        K = portable(T.hmacSha256, K, m); V = portable(T.hmacSha256, K, V);
      }
    }
    if (which === "update") upd(sub(B, 64, 64 + x));
    else {
      var add = sub(B, 64, 64 + y), out = new Uint8Array(x), o = 0;
      if (add.length) upd(add);
      while (o < x) { V = portable(T.hmacSha256, K, V); out.set(V.subarray(0, Math.min(32, x - o)), o); o += 32; }
      upd(add);
      B.set(out, 64 + y);
    }
    B.set(K, 0); B.set(V, 32);
  };
}
function fakeAead(call, open) {
  return function (p, aadLen, n) {
    var B = bufferAt(p);
    call.args = [B !== null, aadLen, n];
    if (!B || 44 + aadLen + n + 16 > B.length) return 0;
    var key = new Uint8Array(B.subarray(0, 32)), nonce = new Uint8Array(B.subarray(32, 44)), aad = new Uint8Array(B.subarray(44, 44 + aadLen));
    var at = 44 + aadLen;
    if (!open) { B.set(portable(T.aeadSeal, key, nonce, new Uint8Array(B.subarray(at, at + n)), aad), at); return undefined; }
    var pt = portable(T.aeadOpen, key, nonce, new Uint8Array(B.subarray(at, at + n + 16)), aad);
    if (pt === null) { B.set(new Uint8Array(n + 16), at); return 0; }
    B.set(pt, at);
    return 1;
  };
}
function fakeNativeCall(expectData) {
  return function (addr, sig, data) {
    var call = { addr: addr, sig: sig, data: data };
    seen.push(call);
    // Which entry: the offset from the first call's address, which the known-answer order makes X25519's.
    call.entry = addr - seen[0].addr + entries.x25519;
    if (call.entry === entries.aeadSeal) return fakeAead(call, false);
    if (call.entry === entries.aeadOpen) return fakeAead(call, true);
    if (call.entry === entries.hmac) return fakeKdf(call, "hmac");
    if (call.entry === entries.hkdf) return fakeKdf(call, "hkdf");
    if (call.entry === entries.drbgUpdate) return fakeKdf(call, "update");
    if (call.entry === entries.drbgGenerate) return fakeKdf(call, "generate");
    if (sig === "void(int,int)") return function (o, r) {
      var O = bufferAt32(o), R = bufferAt32(r);
      call.args = [O !== null, R !== null, o !== r];
      if (O && R) O.set(portable(T.elligator2, new Uint8Array(R)));
    };
    return function (o, k, u) {
      var O = bufferAt32(o), K = bufferAt32(k), U = bufferAt32(u);
      call.args = [O !== null, K !== null, U !== null, o !== k && k !== u && o !== u];
      if (!O || !K || !U) return;
      O.set(portable(T.x25519, new Uint8Array(K), new Uint8Array(U)));
    };
  };
}
var env = { E: E, storage: st, crypto: require("crypto") };
var realNativeCall = E.nativeCall;
E.nativeCall = fakeNativeCall(true);
var kern = T.espruinoKernel(env), x = kern.x25519;
var c = seen[0], ce = seen[1];
check("elligator2: signature and entry", ce.sig === "void(int,int)" && ce.data === c.data && ce.addr - 1 - entries.elligator2 === c.addr - 1 - entry, ce.sig + " " + ce.addr);
check("elligator2: argument addresses are the flat buffers", ce.args && ce.args.join() === "true,true,true", ce.args);
var cs = seen[2], co = seen[3], cf = seen[4];
check("aead seal: signature, entry, buffer address and lengths", cs.sig === "void(int,int,int)" && cs.data === c.data && cs.entry === entries.aeadSeal && cs.args.join() === "true,3,10", cs.sig + " " + cs.entry + " " + cs.args);
check("aead open: int signature, entry, lengths; the forged tag refused", co.sig === "int(int,int,int)" && co.entry === entries.aeadOpen && co.args.join() === "true,3,10" && cf.entry === entries.aeadOpen, co.sig + " " + co.entry + " " + co.args);
check("signature", c.sig === "void(int,int,int)", c.sig);
check("thumb bit", (c.addr & 1) === 1, c.addr);
var pad = c.addr - 1 - entry;
check("RAM copy: code passed as a flat string", typeof c.data === "string" && E.getAddressOf(c.data, true) !== 0, typeof c.data);
check("RAM copy: the offset lands on the entry", pad >= 0 && pad < 4 && c.data.substr(pad, 4) === "FLAK" && c.data.substr(pad) === blob, "pad " + pad);
check("RAM copy: code 4-byte aligned", ((E.getAddressOf(c.data, true) + pad) & 3) === 0, E.getAddressOf(c.data, true));
check("argument addresses are the flat buffers", c.args && c.args.join() === "true,true,true,true", c.args);
var out = new Uint8Array(32);
x(out, T.fromHex(DH.alicePrivate), T.fromHex(DH.bobPublic));
check("result copied out", T.toHex(out) === DH.sharedSecret, T.toHex(out));
T.useAccel({ name: "blob", x25519: x });
var n0 = seen.length;
check("core x25519 through the kernel", T.toHex(T.x25519(T.fromHex(DH.bobPrivate), T.fromHex(DH.alicePublic))) === DH.sharedSecret && seen.length === n0 + 1, seen.length - n0);
T.useAccel({ name: "blob", elligator2: kern.elligator2 });
var r64 = new Uint8Array(64); for (var q = 0; q < 64; q++) r64[q] = q * 7;
var viaKernel = T.toHex(T.elligator2(r64));
check("core elligator2 through the kernel", seen.length === n0 + 2 && viaKernel === T.toHex(portable(T.elligator2, r64)), seen.length - n0);
T.useAccel({ name: "blob", aead: kern.aead });
var akey = T.fromHex(DH.alicePrivate), anonce = T.fromHex("000000000102030405060708"), aaad = T.fromHex(MSG).subarray(0, 21);
var n1 = seen.length, apt = T.fromHex(MSG);
var sealedK = T.aeadSeal(akey, anonce, apt, aaad);
check("core aeadSeal through the kernel", seen.length === n1 + 1 && T.toHex(sealedK) === T.toHex(portable(T.aeadSeal, akey, anonce, apt, aaad)), seen.length - n1);
var openedK = T.aeadOpen(akey, anonce, sealedK, aaad);
check("core aeadOpen through the kernel", seen.length === n1 + 2 && openedK !== null && T.toHex(openedK) === MSG, seen.length - n1);
sealedK[3] ^= 1;
check("core aeadOpen of a forgery: null", T.aeadOpen(akey, anonce, sealedK, aaad) === null && seen.length === n1 + 3, seen.length - n1);
var bigPt = new Uint8Array(600); for (var q2 = 0; q2 < 600; q2++) bigPt[q2] = q2 & 255;
var flatsBefore = flats.length, bigSealed = T.aeadSeal(akey, anonce, bigPt, aaad);
check("a 600-byte message grows the flat buffer", flats.length === flatsBefore + 1 && T.toHex(bigSealed) === T.toHex(portable(T.aeadSeal, akey, anonce, bigPt, aaad)) && T.toHex(T.aeadOpen(akey, anonce, bigSealed, aaad)) === T.toHex(bigPt), flats.length - flatsBefore);
var r0 = T.aeadSeal(akey, anonce, new Uint8Array(0));
check("empty plaintext and aad: the tag alone", r0.length === 16 && T.toHex(r0) === T.toHex(portable(T.aeadSeal, akey, anonce, new Uint8Array(0))), r0.length);
var kdfAccel = { name: "blob", hmacSha256: kern.hmacSha256, hkdfSha256: kern.hkdfSha256, drbg: kern.drbg };
var kk = T.fromHex(KEY), mm = T.fromHex(MSG);
T.useAccel(kdfAccel);
var n2 = seen.length, hm = T.hmacSha256(kk, mm);
check("core hmacSha256: one kernel call, the HMAC", seen.length === n2 + 1 && seen[n2].args.join() === "true," + kk.length + "," + mm.length && T.toHex(hm) === H.hmac, seen.length - n2);
n2 = seen.length;
var hk = T.hkdfSha256(mm, kk, T.fromHex("0102"), 100);
check("core hkdfSha256: one kernel call, lengths packed two to an int", seen.length === n2 + 1 && seen[n2].args[1] === (kk.length | mm.length << 16) && seen[n2].args[2] === (2 | 100 << 16) && T.toHex(hk) === H.hkdf256, seen.length - n2 + " " + seen[n2].args);
n2 = seen.length;
var ck = new Uint8Array(32); ck[0] = 5;
var nh = T.noiseHkdf(ck, kk.subarray(0, 32), 3);
var nhPortable = portable(T.noiseHkdf, ck, kk.subarray(0, 32), 3);
check("Noise HKDF (MixKeyAndHash): one kernel call", seen.length === n2 + 1 && nh.length === 3 && T.toHex(nh[2]) === T.toHex(nhPortable[2]) && T.toHex(nh[0]) === T.toHex(nhPortable[0]), seen.length - n2);
var e32 = new Uint8Array(32), n16 = new Uint8Array(16); e32[3] = 9; n16[1] = 4;
var dA = new T.HmacDrbg(), dP = new T.HmacDrbg();
n2 = seen.length;
dA.instantiate(e32, n16, mm.subarray(0, 20));
var g1 = dA.generate(100, kk.subarray(0, 7)), g2 = dA.generate(33);
var calls = seen.length - n2;
T.useAccel(null);
dP.instantiate(e32, n16, mm.subarray(0, 20));
var p1 = dP.generate(100, kk.subarray(0, 7)), p2 = dP.generate(33);
check("HmacDrbg: one kernel call per instantiate and per generate, the portable bytes", calls === 3 && T.toHex(g1) === T.toHex(p1) && T.toHex(g2) === T.toHex(p2), calls);
var scratch = [];
for (var i = 0; i < flats.length; i++) { var fb = new Uint8Array(E.toArrayBuffer(flats[i])); if (fb.length === 32 || (fb.length >= 256 && fb.length < 2048)) scratch.push(fb); } // not the kernel copy
var dirty = 0;
for (i = 0; i < scratch.length; i++) for (var j = 0; j < 32; j++) dirty |= scratch[i][j];
check("argument buffers zeroed after the call", scratch.length >= 5 && dirty === 0, scratch.length + " " + dirty);
T.useAccel(null);

// Flash path: a Storage whose string has an address (memory-mapped, as on nRF52/STM32).
var mapped = realFlat(blob);
var fakeStorage = { read: function () { return mapped; }, write: function () { return true; } };
seen = [];
T.espruinoKernel({ E: E, storage: fakeStorage, crypto: null });
check("flash path: absolute address of the entry, no data", seen[0].data === undefined && seen[0].addr === E.getAddressOf(mapped, true) + entry + 1, seen[0].addr);
check("flash path: Elligator 2 entry", seen[1].data === undefined && seen[1].addr === E.getAddressOf(mapped, true) + entries.elligator2 + 1, seen[1].addr);
check("flash path: AEAD entries", seen[2].data === undefined && seen[2].addr === E.getAddressOf(mapped, true) + entries.aeadSeal + 1 && seen[3].addr === E.getAddressOf(mapped, true) + entries.aeadOpen + 1, seen[2].addr);

// Refusals.
var r = code(function () { T.espruinoKernel({ E: { getAddressOf: E.getAddressOf, toFlatString: E.toFlatString, toArrayBuffer: E.toArrayBuffer }, storage: st, crypto: null }); });
check("no E.nativeCall: clear error", r.indexOf("ACCEL_UNAVAILABLE E.nativeCall is missing") === 0, r);
r = code(function () { T.espruinoKernel({ E: E, storage: { read: function () { return undefined; } }, crypto: null }); });
check("no Storage file: clear error", r.indexOf("ACCEL_UNAVAILABLE Storage file fl-accel is missing") === 0, r);
var bad = blob.substr(0, 100) + String.fromCharCode(blob.charCodeAt(100) ^ 1) + blob.substr(101);
r = code(function () { T.espruinoKernel({ E: E, storage: { read: function () { return bad; } }, crypto: null }); });
check("damaged file: CRC error", r.indexOf("ACCEL_UNAVAILABLE fl-accel: CRC-32") === 0, r);
r = code(function () { T.installAccelBlob(st, "FLAK" + blob.substr(4, 1) + String.fromCharCode(0) + blob.substr(6)); });
check("install refuses a blob for another cpu", r.indexOf("built for cpu 0") > 0, r);
E.nativeCall = function () { return function () {}; };
r = code(function () { T.espruinoKernel(env); });
check("kernel that computes nothing fails the known answer", r.indexOf("ACCEL_UNAVAILABLE the kernel's X25519 gave 0000") === 0, r);
var honest = fakeNativeCall(true);
E.nativeCall = function (addr, sig, data) { var f = honest(addr, sig, data), c1 = seen[seen.length - 1]; return c1.entry === entries.aeadOpen ? function () { return 1; } : f; };
seen = [];
r = code(function () { T.espruinoKernel(env); });
check("an AEAD open that accepts anything fails the known answer", r.indexOf("ACCEL_UNAVAILABLE the kernel's AEAD open") === 0, r);
E.nativeCall = fakeNativeCall(true);
seen = [];
var onlyAead = T.espruinoAccel({ accel: { x25519: "portable", sha2: "portable", aead: "cortex-m4-blob" } }, env);
check("accel.aead alone: the kernel's AEAD, portable X25519", onlyAead.name === "portable+portable+aead:cortex-m4-blob" && !onlyAead.x25519 && typeof onlyAead.aead.seal === "function", onlyAead.name);
var withKdf = T.espruinoAccel({ accel: { x25519: "portable", sha2: "portable", kdf: "cortex-m4-blob" } }, env);
check("accel.kdf: the kernel's HMAC, HKDF and DRBG", withKdf.name === "portable+portable+kdf:cortex-m4-blob" && typeof withKdf.hmacSha256 === "function" && typeof withKdf.hkdfSha256 === "function" && typeof withKdf.drbg.generate === "function" && !withKdf.aead, withKdf.name);
r = code(function () { T.espruinoAccel({ accel: { x25519: "portable", sha2: "portable", kdf: "jerryscript-native" } }, env); });
check("accel.kdf for another engine: clear error", r.indexOf("ACCEL_UNAVAILABLE accel.kdf") === 0, r);
var liar = fakeNativeCall(true);
E.nativeCall = function (addr, sig, data) { var f = liar(addr, sig, data), c1 = seen[seen.length - 1]; return c1.entry === entries.drbgGenerate ? function () {} : f; };
seen = [];
r = code(function () { T.espruinoKernel(env); });
check("a DRBG that computes nothing fails the known answer", r.indexOf("ACCEL_UNAVAILABLE the kernel's HMAC_DRBG gave") === 0, r);
E.nativeCall = fakeNativeCall(true);
r = code(function () { T.espruinoAccel({ accel: { x25519: "portable", sha2: "portable", aead: "jerryscript-native" } }, env); });
check("accel.aead for another engine: clear error", r.indexOf("ACCEL_UNAVAILABLE accel.aead \\"jerryscript-native\\" is not an Espruino accelerator") === 0, r);
E.nativeCall = realNativeCall;

// Native hashes from require("crypto").
var realCrypto = require("crypto"), counts = { SHA256: 0, SHA512: 0 };
var counting = { SHA256: function (d) { counts.SHA256++; return realCrypto.SHA256(d); }, SHA512: function (d) { counts.SHA512++; return realCrypto.SHA512(d); } };
var a = T.espruinoAccel({ accel: { x25519: "portable", sha2: "espruino-crypto" } }, { E: E, storage: st, crypto: counting });
check("accel name", a.name === "portable+espruino-crypto" && !a.x25519 && !a.elligator2 && typeof a.sha256 === "function", a.name);
T.useAccel(a);
check("sha256 native", T.toHex(T.sha256(T.fromHex(MSG))) === H.sha256, T.toHex(T.sha256(T.fromHex(MSG))));
var s512 = new T.Sha512(); s512.update(T.fromHex(MSG)); s512.update(T.fromHex(MSG));
check("streaming sha512 native", T.toHex(s512.digest()) === H.sha512x2, "");
check("hmac-sha256 native", T.toHex(T.hmacSha256(T.fromHex(KEY), T.fromHex(MSG))) === H.hmac, "");
check("hkdf-sha512 native", T.toHex(T.hkdfSha512(T.fromHex(MSG), T.fromHex(KEY), T.fromHex("0102"), 100)) === H.hkdf, "");
var big = new Uint8Array(3000); for (i = 0; i < big.length; i++) big[i] = i & 255;
var n256 = counts.SHA256;
check("a 3000-byte stream goes portable", T.toHex(T.sha256(big)) === H.big && counts.SHA256 === n256, counts.SHA256 - n256);
check("native hashes were used", counts.SHA256 > 0 && counts.SHA512 > 0, JSON.stringify(counts));
T.useAccel(null);
r = code(function () { T.espruinoAccel({ accel: { x25519: "portable", sha2: "espruino-crypto" } }, { E: E, storage: st, crypto: {} }); });
check("no crypto.SHA256: clear error", r.indexOf("ACCEL_UNAVAILABLE require(\\"crypto\\").SHA256 is missing") === 0, r);
r = code(function () { T.espruinoAccel({ accel: { x25519: "portable", sha2: "espruino-crypto" } }, { E: E, storage: st, crypto: { SHA256: function () { return new ArrayBuffer(32); }, SHA512: realCrypto.SHA512 } }); });
check("wrong SHA256: refused", r.indexOf("gave a wrong digest") > 0, r);
print("done");
`;

test("Espruino accelerator glue on the Espruino Linux build", async () => {
  assert.ok(existsSync(espruino), `no Espruino build at ${espruino}`);
  const blob = buildCortexBlob("cortex-m4").blob;
  const dir = join(ES5_OUT, "test-sim/hal/espruino");
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, "accel-entry.js");
  writeFileSync(entry, ENTRY);
  const lib = await bundleEs5(entry, false);
  const dh = {
    alicePrivate: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
    alicePublic: "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
    bobPrivate: "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
    bobPublic: "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
    sharedSecret: "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
  };
  const msg = Buffer.from("the quick brown fox jumps over the lazy dog, twice or more".repeat(3));
  const key = Buffer.alloc(150, 0x5a);
  const big = Uint8Array.from({ length: 3000 }, (_, i) => i & 255);
  const hx = (b: Uint8Array) => Buffer.from(b).toString("hex");
  const H = {
    sha256: hx(nobleSha256(msg)),
    sha512x2: hx(nobleSha512(Buffer.concat([msg, msg]))),
    hmac: hx(hmac(nobleSha256, key, msg)),
    hkdf: hx(hkdf(nobleSha512, msg, key, Uint8Array.of(1, 2), 100)),
    hkdf256: hx(hkdf(nobleSha256, msg, key, Uint8Array.of(1, 2), 100)),
    big: hx(nobleSha256(big)),
  };
  const script = `var T;\n${lib}\nvar BLOB = ${JSON.stringify(blob.toString("base64"))};\nvar DH = ${JSON.stringify(dh)};\nvar MSG = "${msg.toString("hex")}";\nvar KEY = "${key.toString("hex")}";\nvar H = ${JSON.stringify(H)};\n${BODY}`;
  const cwd = mkdtempSync(join(tmpdir(), "fl-accel-espruino-"));
  try {
    writeFileSync(join(cwd, "t.js"), script);
    if (process.env.FL_KEEP_SCRIPT) writeFileSync(process.env.FL_KEEP_SCRIPT, script);
    const r = spawnSync(espruino, ["t.js"], { cwd, encoding: "utf8", input: "", timeout: 120_000 });
    const lines = r.stdout.split("\n").map((l) => l.replace(/\r$/, "").replace(/^>/, "")).filter((l) => /^(ok|fail|done|Uncaught)/.test(l));
    const failed = lines.filter((l) => !l.startsWith("ok") && l !== "done");
    assert.deepEqual(failed, [], r.stdout.slice(-3000));
    assert.equal(lines[lines.length - 1], "done", r.stdout.slice(-3000));
    assert.equal(lines.length, (BODY.match(/check\("/g) ?? []).length + 1, lines.join("\n"));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
