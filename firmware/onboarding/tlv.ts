/**
 * TLV payloads on the device (docs/protocol.md §2.6): items `tag (1) ‖ length (2, big-endian) ‖
 * value`. Unknown tags are skipped; a truncated item, a known tag twice, or a known tag with a
 * malformed value is PROTO_BAD_PAYLOAD.
 */
import { fail } from "../errors";
import { concatBytes, utf8Decode, utf8Encode, view } from "../crypto/bytes";

export var TAG_FIRMWARE = 0x01;
export var TAG_BOARD = 0x02;
export var TAG_SERIAL = 0x03;
export var TAG_LABEL = 0x10;
export var TAG_REKEY_MESSAGES = 0x11;
export var TAG_REKEY_SECONDS = 0x12;
export var TAG_STATUS = 0x20;

export var MAX_LABEL_BYTES = 32;
export var STATUS_PAIRED = 0;

export interface TlvItem {
  tag: number;
  value: Uint8Array;
}

function bad(message: string): never {
  return fail("PROTO_BAD_PAYLOAD", message);
}

export function encodeTlv(items: TlvItem[]): Uint8Array {
  var parts: Uint8Array[] = [];
  for (var i = 0; i < items.length; i++) {
    var v = items[i].value;
    if (v.length > 0xffff) fail("PROTO_BAD_INPUT", "a TLV value is at most 65535 bytes");
    parts.push(new Uint8Array([items[i].tag & 0xff, v.length >> 8, v.length & 0xff]), v);
  }
  return concatBytes(parts);
}

/** Every item in order (values are views into `payload`). */
export function decodeTlv(payload: Uint8Array): TlvItem[] {
  var items: TlvItem[] = [], off = 0, n = payload.length;
  while (off < n) {
    if (off + 3 > n) bad("truncated TLV header at offset " + off);
    var tag = payload[off], len = (payload[off + 1] << 8) | payload[off + 2];
    off += 3;
    if (off + len > n) bad("TLV item 0x" + tag.toString(16) + " claims " + len + " bytes, " + (n - off) + " left");
    items.push({ tag: tag, value: view(payload, off, off + len) });
    off += len;
  }
  return items;
}

/**
 * The value of each tag in `tags` by its index there (absent when the tag is); a known tag twice is
 * refused. A map, not an array: a Lua table cannot hold the holes.
 */
function known(payload: Uint8Array, tags: number[]): { [k: number]: Uint8Array | undefined } {
  var out: { [k: number]: Uint8Array | undefined } = {}, items = decodeTlv(payload), i: number;
  for (i = 0; i < items.length; i++) {
    var k = tags.indexOf(items[i].tag);
    if (k < 0) continue;
    if (out[k] !== undefined) bad("TLV tag 0x" + items[i].tag.toString(16) + " appears twice");
    out[k] = items[i].value;
  }
  return out;
}

function u32Of(v: Uint8Array, what: string): number {
  if (v.length !== 4) bad(what + " must be a u32 (4 bytes), got " + v.length);
  return v[0] * 16777216 + ((v[1] << 16) | (v[2] << 8) | v[3]);
}

function u32Bytes(n: number): Uint8Array {
  return new Uint8Array([(n / 16777216) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** Device info (PAIR_RESPONSE). */
export interface DeviceInfo {
  firmware?: string;
  board?: string;
  serial?: string;
}

export function encodeDeviceInfo(d: DeviceInfo): Uint8Array {
  var items: TlvItem[] = [];
  if (d.firmware !== undefined) items.push({ tag: TAG_FIRMWARE, value: utf8Encode(d.firmware) });
  if (d.board !== undefined) items.push({ tag: TAG_BOARD, value: utf8Encode(d.board) });
  if (d.serial !== undefined) items.push({ tag: TAG_SERIAL, value: utf8Encode(d.serial) });
  return encodeTlv(items);
}

/** Configuration (PAIR_CONFIRM); absent items are absent here too. */
export interface Configuration {
  label?: string;
  rekeyMessages?: number;
  rekeySeconds?: number;
}

export function decodeConfiguration(payload: Uint8Array): Configuration {
  var v = known(payload, [TAG_LABEL, TAG_REKEY_MESSAGES, TAG_REKEY_SECONDS]), c: Configuration = {};
  if (v[0] !== undefined) {
    var l = v[0] as Uint8Array;
    if (l.length > MAX_LABEL_BYTES) bad("label longer than 32 bytes");
    try {
      c.label = utf8Decode(l);
    } catch (e) {
      bad("label is not valid UTF-8");
    }
  }
  if (v[1] !== undefined) c.rekeyMessages = u32Of(v[1] as Uint8Array, "rekey-messages");
  if (v[2] !== undefined) c.rekeySeconds = u32Of(v[2] as Uint8Array, "rekey-seconds");
  if (c.rekeyMessages === 0 || c.rekeySeconds === 0) bad("rekey limits are 1 … 2^32−1");
  return c;
}

export function encodeConfiguration(c: Configuration): Uint8Array {
  var items: TlvItem[] = [];
  if (c.label !== undefined) items.push({ tag: TAG_LABEL, value: utf8Encode(c.label) });
  if (c.rekeyMessages !== undefined) items.push({ tag: TAG_REKEY_MESSAGES, value: u32Bytes(c.rekeyMessages) });
  if (c.rekeySeconds !== undefined) items.push({ tag: TAG_REKEY_SECONDS, value: u32Bytes(c.rekeySeconds) });
  return encodeTlv(items);
}

/** Status (PAIR_DONE): u8, 0 = paired. */
export function encodeStatus(status: number): Uint8Array {
  return encodeTlv([{ tag: TAG_STATUS, value: new Uint8Array([status & 0xff]) }]);
}
