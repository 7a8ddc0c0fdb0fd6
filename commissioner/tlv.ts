/**
 * TLV payloads (docs/protocol.md §2.6): items `tag (1) ‖ length (2, big-endian) ‖ value`.
 * Unknown tags are skipped; a truncated item is PROTO_BAD_PAYLOAD.
 */
import { concatBytes, utf8Decode, utf8Encode } from "./bytes.ts";
import { CommissionerError } from "./errors.ts";

export const TAG = {
  FIRMWARE: 0x01,
  BOARD: 0x02,
  SERIAL: 0x03,
  LABEL: 0x10,
  REKEY_MESSAGES: 0x11,
  REKEY_SECONDS: 0x12,
  STATUS: 0x20,
} as const;

export const MAX_LABEL_BYTES = 32;
export const STATUS_PAIRED = 0;

export interface TlvItem {
  tag: number;
  value: Uint8Array;
}

function bad(message: string): CommissionerError {
  return new CommissionerError("PROTO_BAD_PAYLOAD", message);
}

export function encodeTlv(items: TlvItem[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const it of items) {
    if (!Number.isInteger(it.tag) || it.tag < 0 || it.tag > 0xff) throw new CommissionerError("TLV_BAD_INPUT", "a TLV tag is one byte");
    if (it.value.length > 0xffff) throw new CommissionerError("TLV_BAD_INPUT", "a TLV value is at most 65535 bytes");
    parts.push(Uint8Array.of(it.tag, it.value.length >> 8, it.value.length & 0xff), it.value);
  }
  return concatBytes(...parts);
}

/** All items in order, unknown tags included (the typed decoders below skip them). */
export function decodeTlv(payload: Uint8Array): TlvItem[] {
  const items: TlvItem[] = [];
  let off = 0;
  while (off < payload.length) {
    if (off + 3 > payload.length) throw bad("truncated TLV header");
    const tag = payload[off];
    const len = (payload[off + 1] << 8) | payload[off + 2];
    off += 3;
    if (off + len > payload.length) throw bad("TLV item 0x" + tag.toString(16) + " claims " + len + " bytes, " + (payload.length - off) + " left");
    items.push({ tag, value: payload.subarray(off, off + len) });
    off += len;
  }
  return items;
}

/** Known tags by value; a known tag twice is refused rather than guessing which one counts. */
function known(payload: Uint8Array, tags: number[]): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const it of decodeTlv(payload)) {
    if (!tags.includes(it.tag)) continue;
    if (out.has(it.tag)) throw bad("TLV tag 0x" + it.tag.toString(16) + " appears twice");
    out.set(it.tag, it.value);
  }
  return out;
}

function text(v: Uint8Array | undefined, what: string): string | undefined {
  if (v === undefined) return undefined;
  try {
    return utf8Decode(v);
  } catch {
    throw bad(what + " is not valid UTF-8");
  }
}

function u32(v: Uint8Array | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (v.length !== 4) throw bad(what + " must be a u32 (4 bytes), got " + v.length);
  return ((v[0] << 24) >>> 0) + (v[1] << 16) + (v[2] << 8) + v[3];
}

function u32Bytes(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** Device info, in PAIR_RESPONSE. */
export interface DeviceInfo {
  firmware?: string;
  board?: string;
  serial?: string;
}

export function encodeDeviceInfo(d: DeviceInfo): Uint8Array {
  const items: TlvItem[] = [];
  if (d.firmware !== undefined) items.push({ tag: TAG.FIRMWARE, value: utf8Encode(d.firmware) });
  if (d.board !== undefined) items.push({ tag: TAG.BOARD, value: utf8Encode(d.board) });
  if (d.serial !== undefined) items.push({ tag: TAG.SERIAL, value: utf8Encode(d.serial) });
  return encodeTlv(items);
}

/** C0 controls, DEL and C1 controls: what a terminal reads as commands (ESC, CSI, OSC …) or line breaks. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Device info text: shown to the operator and kept in the records. It arrives in PAIR_RESPONSE,
 * before the device has proven the setup code (anyone answering at the address can send it), so a
 * control character is refused rather than handed to a terminal.
 */
function infoText(v: Uint8Array | undefined, what: string): string | undefined {
  const t = text(v, what);
  if (t !== undefined && CONTROL.test(t)) throw bad(what + " holds a control character (U+" + t.charCodeAt(t.search(CONTROL)).toString(16).padStart(4, "0") + "): device info is plain text");
  return t;
}

export function decodeDeviceInfo(payload: Uint8Array): DeviceInfo {
  const m = known(payload, [TAG.FIRMWARE, TAG.BOARD, TAG.SERIAL]);
  const d: DeviceInfo = {};
  const fw = infoText(m.get(TAG.FIRMWARE), "firmware");
  const board = infoText(m.get(TAG.BOARD), "board");
  const serial = infoText(m.get(TAG.SERIAL), "serial");
  if (fw !== undefined) d.firmware = fw;
  if (board !== undefined) d.board = board;
  if (serial !== undefined) d.serial = serial;
  return d;
}

/** Configuration, in PAIR_CONFIRM. */
export interface Configuration {
  label?: string;
  rekeyMessages?: number;
  rekeySeconds?: number;
}

export function encodeConfiguration(c: Configuration): Uint8Array {
  const items: TlvItem[] = [];
  if (c.label !== undefined) {
    const l = utf8Encode(c.label);
    if (l.length > MAX_LABEL_BYTES) throw new CommissionerError("TLV_BAD_INPUT", "a label is at most 32 bytes of UTF-8");
    items.push({ tag: TAG.LABEL, value: l });
  }
  for (const [tag, n] of [[TAG.REKEY_MESSAGES, c.rekeyMessages], [TAG.REKEY_SECONDS, c.rekeySeconds]] as const) {
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n < 1 || n > 0xffffffff) throw new CommissionerError("TLV_BAD_INPUT", "rekey limits are integers 1 … 2^32−1");
    items.push({ tag, value: u32Bytes(n) });
  }
  return encodeTlv(items);
}

export function decodeConfiguration(payload: Uint8Array): Configuration {
  const m = known(payload, [TAG.LABEL, TAG.REKEY_MESSAGES, TAG.REKEY_SECONDS]);
  const c: Configuration = {};
  const label = text(m.get(TAG.LABEL), "label");
  if (label !== undefined) {
    if (m.get(TAG.LABEL)!.length > MAX_LABEL_BYTES) throw bad("label longer than 32 bytes");
    c.label = label;
  }
  const rm = u32(m.get(TAG.REKEY_MESSAGES), "rekey-messages");
  const rs = u32(m.get(TAG.REKEY_SECONDS), "rekey-seconds");
  if (rm !== undefined) c.rekeyMessages = rm;
  if (rs !== undefined) c.rekeySeconds = rs;
  return c;
}

/** Status, in PAIR_DONE: u8, 0 = paired. A missing status is refused. */
export function encodeStatus(status: number): Uint8Array {
  return encodeTlv([{ tag: TAG.STATUS, value: Uint8Array.of(status) }]);
}

export function decodeStatus(payload: Uint8Array): number {
  const v = known(payload, [TAG.STATUS]).get(TAG.STATUS);
  if (v === undefined) throw bad("status TLV missing");
  if (v.length !== 1) throw bad("status must be one byte");
  return v[0];
}
