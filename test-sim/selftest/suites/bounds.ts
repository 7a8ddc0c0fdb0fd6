/**
 * Input that claims more bytes than exist is refused, on every engine (on Espruino a subarray past
 * the end is not clamped, so a missed check would read past the data): frame headers, TLV items,
 * record headers on flash, a stored record whose length was rewritten, and the view helper itself.
 * Runs the firmware modules bundled into the runner (the same code as the images). ES5.
 */
import type { Check } from "../runner";
import { createFrameDecoder, encodeFrame, MAX_BODY, DATA, PAIR_HELLO, VERSION } from "../../../firmware/onboarding/frames";
import { decodeTlv, encodeTlv } from "../../../firmware/onboarding/tlv";
import { encodeRecordHeader, checkRecordHeader, recordSize, setRecordSalt, REC_HEADER, KIND_PUT, PAGE_HEADER, SALT, SALT_LEN } from "../../../firmware/store/format";
import { view } from "../../../firmware/crypto/bytes";
import { SimFlash } from "../../../hal/sim/flash";

interface Data { pageSize: number; pageCount: number }

/** The error's code, or the error as text when it has none. */
function errorCode(e: unknown): string {
  var c = (e as { code?: string }).code;
  return c !== undefined ? c : String(e);
}

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { return errorCode(e); }
  return "no error";
}

function bytes(n: number, seed: number): Uint8Array {
  var b = new Uint8Array(n);
  for (var i = 0; i < n; i++) b[i] = (i * 31 + seed) & 255;
  return b;
}

export function run(fl: any, d: Data, t: Check): void {
  frames(t);
  tlv(t);
  recordHeaders(t);
  storedRecord(fl, d, t);
  var four = bytes(4, 1);
  t.throwsCode(function () { view(four, 2, 100); }, "CRYPTO_BAD_INPUT", "view(b, 2, 100) of 4 bytes is refused (Espruino would give 98)");
}

function frames(t: Check): void {
  // A DATA frame announcing 40 bytes with 10 present: no frame comes out, nothing past the 10 is read.
  var whole = encodeFrame(DATA, bytes(40, 2)), dec = createFrameDecoder();
  var out = dec.push(view(whole, 0, 14));
  t.ok(out.length === 0 && dec.partial(), "frame claiming 40 body bytes with 10 present: held, not delivered");
  out = dec.push(view(whole, 14));
  t.ok(out.length === 1 && out[0].body.length === 40 && out[0].body[39] === whole[43], "the rest arrives: one frame of exactly 40 bytes");
  // Announced lengths over the limit or wrong for the type are refused before any body is read.
  var big = new Uint8Array([VERSION, DATA, (MAX_BODY + 1) >> 8, (MAX_BODY + 1) & 255]);
  t.ok(code(function () { createFrameDecoder().push(big); }) === "PROTO_FRAME_TOO_LARGE", "frame announcing 1025 bytes: PROTO_FRAME_TOO_LARGE");
  var max = new Uint8Array([VERSION, DATA, 0xff, 0xff, 1, 2, 3]);
  t.ok(code(function () { createFrameDecoder().push(max); }) === "PROTO_FRAME_TOO_LARGE", "frame announcing 65535 bytes with 3 present: PROTO_FRAME_TOO_LARGE");
  var shortHello = new Uint8Array([VERSION, PAIR_HELLO, 0, 2, 1, 2]);
  t.ok(code(function () { createFrameDecoder().push(shortHello); }) === "PROTO_BAD_LENGTH", "PAIR_HELLO of 2 bytes: PROTO_BAD_LENGTH");
  // A failed decoder stays failed: later bytes are not read as a new frame.
  var failed = createFrameDecoder();
  code(function () { failed.push(big); });
  t.ok(code(function () { failed.push(whole); }) === "PROTO_FRAME_TOO_LARGE", "after a refused frame the decoder stays failed");
}

function tlv(t: Check): void {
  var good = encodeTlv([{ tag: 1, value: bytes(5, 3) }, { tag: 2, value: bytes(3, 4) }]);
  var items = decodeTlv(good);
  t.ok(items.length === 2 && items[1].value.length === 3, "well-formed TLV decodes");
  // The second item claims 100 bytes; 3 are left.
  var lying = new Uint8Array(good.length);
  lying.set(good);
  lying[5 + 3 + 2] = 100;
  t.throwsCode(function () { decodeTlv(lying); }, "PROTO_BAD_PAYLOAD", "TLV item claiming 100 bytes with 3 left is refused");
  t.throwsCode(function () { decodeTlv(view(good, 0, 4)); }, "PROTO_BAD_PAYLOAD", "TLV item cut inside its value is refused");
  t.throwsCode(function () { decodeTlv(new Uint8Array([1, 0xff])); }, "PROTO_BAD_PAYLOAD", "TLV header cut short is refused");
  t.throwsCode(function () { decodeTlv(new Uint8Array([1, 0xff, 0xff])); }, "PROTO_BAD_PAYLOAD", "TLV item claiming 65535 bytes with none left is refused");
}

/** A record header as the store writes it: its fields, the salt, and the crc32 over both. */
function sealedHeader(kind: number, len: number, version: number, generation: number, tag: Uint8Array, salt: Uint8Array): Uint8Array {
  var h = encodeRecordHeader(kind, len, version, generation, tag);
  setRecordSalt(h, salt);
  return h;
}

function recordHeaders(t: Check): void {
  var tag = bytes(8, 5), salt = bytes(SALT_LEN, 6), room = 200, b = new Uint8Array(room + 64);
  for (var i = 0; i < b.length; i++) b[i] = 0xff;
  var fits = room - REC_HEADER - 8 - 8;
  b.set(sealedHeader(KIND_PUT, fits - (fits % 8), 1, 1, tag, salt), 0);
  t.ok(checkRecordHeader(b, 0, room) === fits - (fits % 8) && recordSize(fits - (fits % 8)) <= room, "record header whose record fits the room is accepted");
  b.set(sealedHeader(KIND_PUT, room, 1, 1, tag, salt), 0);
  t.ok(checkRecordHeader(b, 0, room) === 0, "record header (valid CRC) claiming more than the room: refused");
  b.set(sealedHeader(KIND_PUT, 0xffff, 1, 1, tag, salt), 0);
  t.ok(checkRecordHeader(b, 0, room) === 0, "record header claiming 65535 bytes: refused");
  t.ok(checkRecordHeader(b, 0, REC_HEADER) === 0, "record header with no room for its commit: refused");
}

/** A stored record whose header is rewritten (with a valid CRC) to claim past its page. */
function storedRecord(fl: any, d: Data, t: Check): void {
  if (fl.store === undefined) return; // the crypto image has no store: the header checks above still ran
  var root = bytes(32, 9), k = 0;
  var random = function (n: number): Uint8Array { return bytes(n, ++k); };
  var f = new SimFlash({ pageSize: d.pageSize, pageCount: d.pageCount, writeSize: 8, seed: 1 });
  var s = fl.store.openStore(f, root, { random: random });
  s.put("a", bytes(20, 11));
  var img = f.image(), at = -1;
  for (var p = 0; p < d.pageCount && at < 0; p++) if (img[p * d.pageSize + PAGE_HEADER] === KIND_PUT) at = p * d.pageSize + PAGE_HEADER;
  t.ok(at >= 0, "the stored record is found on flash");
  if (at < 0) return;
  var h = view(img, at, at + REC_HEADER);
  var gen = (h[8] << 24 | h[9] << 16 | h[10] << 8 | h[11]) >>> 0, ver = (h[4] << 24 | h[5] << 16 | h[6] << 8 | h[7]) >>> 0;
  var bad = new Uint8Array(img.length);
  bad.set(img);
  bad.set(sealedHeader(KIND_PUT, d.pageSize, ver, gen, view(h, 12, 20), view(h, SALT, SALT + SALT_LEN)), at);
  var g = new SimFlash({ pageSize: d.pageSize, pageCount: d.pageCount, writeSize: 8, seed: 2 });
  g.load(bad);
  var got = "";
  try {
    var v = fl.store.openStore(g, root, { random: random }).get("a");
    got = v === null ? "null" : "value of " + v.length + " bytes";
  } catch (e) {
    got = errorCode(e);
  }
  t.ok(got === "null" || got.indexOf("STORE_") === 0, "record rewritten to claim " + d.pageSize + " bytes: not read (" + got + ")");
}
