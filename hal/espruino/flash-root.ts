/**
 * The device root for an Espruino board without a hardware secret (board file "deviceSecret": null,
 * docs/lifecycle.md "Where the root comes from"): 32 bytes generated from the entropy gate's DRBG
 * at first boot, once the gate is open, and kept in the first page of the board's NOR area (the
 * root page, docs/flash-format.md §10). The store and the audit trail get the pages after it.
 *
 * Root page: bytes 0-3 "FLR1", 4-35 the root, 36-39 CRC-32 (IEEE) of bytes 0-35, big-endian;
 * the rest of the page stays erased. An erased page means "no root yet"; a page that is not erased
 * and fails its check is a write cut short before anything was keyed from it (the root is written
 * and read back before the device starts), so it is erased and a new root made. It protects what
 * a hardware secret would only against someone without the flash contents: anyone who can read
 * the chip's flash reads the root too. ES5.
 */
import type { DeviceSecret } from "../device-secret";
import type { Flash } from "../flash";
import { crc32 } from "../../firmware/store/crc32";

export var ROOT_MAGIC = [0x46, 0x4c, 0x52, 0x31]; // "FLR1"
export var ROOT_RECORD_BYTES = 40;

function erased(b: Uint8Array): boolean {
  for (var i = 0; i < b.length; i++) if (b[i] !== 0xff) return false;
  return true;
}

function wipe(b: Uint8Array): void {
  for (var i = 0; i < b.length; i++) b[i] = 0;
}

/** "none" (erased), "bad" (torn or foreign), or the root (a copy the caller wipes). */
export function readRootPage(flash: Flash): Uint8Array | "none" | "bad" {
  var rec = flash.read(0, ROOT_RECORD_BYTES);
  if (rec === null) return "bad";
  if (erased(rec)) return "none";
  var c = crc32(rec, 0, 36);
  var ok = rec[0] === ROOT_MAGIC[0] && rec[1] === ROOT_MAGIC[1] && rec[2] === ROOT_MAGIC[2] && rec[3] === ROOT_MAGIC[3] &&
    rec[36] === c >>> 24 && rec[37] === ((c >>> 16) & 255) && rec[38] === ((c >>> 8) & 255) && rec[39] === (c & 255);
  if (!ok) {
    wipe(rec);
    return "bad";
  }
  var root = new Uint8Array(32);
  for (var i = 0; i < 32; i++) root[i] = rec[4 + i];
  wipe(rec);
  return root;
}

/** Erases page 0 and writes `root` there, then reads it back; returns why not, or null. */
export function writeRootPage(flash: Flash, root: Uint8Array): string | null {
  if (root.length !== 32) return "the root is 32 bytes";
  if (flash.erase(0) !== null) return "erasing the root page failed";
  var rec = new Uint8Array(ROOT_RECORD_BYTES), i: number;
  for (i = 0; i < 4; i++) rec[i] = ROOT_MAGIC[i];
  rec.set(root, 4);
  var c = crc32(rec, 0, 36);
  rec[36] = c >>> 24;
  rec[37] = (c >>> 16) & 255;
  rec[38] = (c >>> 8) & 255;
  rec[39] = c & 255;
  var err = flash.program(0, rec);
  wipe(rec);
  if (err !== null) return "writing the root page failed: " + err;
  var back = readRootPage(flash);
  if (typeof back === "string") return "the root page did not read back";
  var same = 0;
  for (i = 0; i < 32; i++) same |= back[i] ^ root[i];
  wipe(back);
  return same === 0 ? null : "the root page read back different bytes";
}

/** A DeviceSecret over the root page (read on every use, as a hardware secret would be). */
export function flashRootSecret(flash: Flash): DeviceSecret {
  return {
    read: function (): Uint8Array {
      var r = readRootPage(flash);
      if (typeof r === "string") throw new Error("device root page is " + (r === "none" ? "empty" : "damaged"));
      return r;
    },
  };
}
