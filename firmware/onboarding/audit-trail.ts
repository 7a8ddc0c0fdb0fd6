/**
 * The device's audit trail (docs/lifecycle.md "Audit on the device", docs/audit-format.md): the
 * AuditLog of firmware/lifecycle/audit.ts over the audit pages of the board's area, keyed by the
 * purpose key "firstlight/1 audit" of the device root, with the boot counter and the clock filled
 * in. What it records is never key material: events, counts, and key ids (the first 4 bytes of the
 * SHA-256 of a public key).
 *
 * A failing audit never stops onboarding: mount and write errors are logged and the trail goes
 * quiet. A power cut is not an error: it is rethrown, so the device stops as it does on any flash op.
 */
import type { Flash } from "../../hal/flash";
import type { Clock } from "../../hal/clock";
import { wipe, view } from "../crypto/bytes";
import { sha256 } from "../crypto/sha256";
import { AuditLog, type AuditLogT, type AuditVerdict } from "../lifecycle/audit";
import { purposeKey, PURPOSE } from "../lifecycle/labels";

export var KEY_KIND_IDENTITY = 1;

export interface AuditPage {
  verdict: AuditVerdict;
  /** Raw 32-byte entries (fields ‖ tag) with seq ≥ from, oldest first. */
  items: Uint8Array[];
  /** More verified entries follow the last one given. */
  more: boolean;
}

export interface DeviceAudit {
  /** False when the board has no audit pages or the trail could not be mounted. */
  enabled(): boolean;
  /** This boot's number in the trail (the last entry's + 1, 0 on a new trail). */
  boot(): number;
  record(event: number, detail?: Uint8Array): void;
  /** Verifies the chain and returns up to `max` entries from sequence number `from`. */
  read(from: number, max: number): AuditPage;
  /** Erases the trail (a root that dies with the store takes the audit key with it). */
  erase(): void;
  close(): void;
}

/** Key id of a public key: SHA-256(pub)[0 … 4) (docs/audit-format.md §3). */
export function keyId(pub: Uint8Array): Uint8Array {
  return view(sha256(pub), 0, 4);
}

/** KEY_GENERATED / KEY_DESTROYED detail: kind ‖ key id. */
export function keyDetail(kind: number, pub: Uint8Array): Uint8Array {
  var d = new Uint8Array(5);
  d[0] = kind;
  d.set(keyId(pub), 1);
  return d;
}

function isPowerCut(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { powerCut?: boolean }).powerCut === true;
}

function message(e: unknown): string {
  var m = typeof e === "object" && e !== null ? (e as { message?: string }).message : undefined;
  return typeof m === "string" ? m : String(e);
}

/** A trail that records nothing (no audit pages on this board). */
export function noAudit(): DeviceAudit {
  return {
    enabled: function () { return false; },
    boot: function () { return 0; },
    record: function () {},
    read: function (): AuditPage {
      return { verdict: { ok: true, count: 0, firstBad: -1, reason: "", tornTail: false }, items: [], more: false };
    },
    erase: function () {},
    close: function () {},
  };
}

/**
 * Mounts the trail on `flash` (the audit pages) with the audit key of `root` (the caller wipes
 * root). Logs the verdict; a tag failure is reported, and recording goes on after the last entry
 * that verified.
 */
export function openDeviceAudit(flash: Flash, root: Uint8Array, clock: Clock, log: (line: string) => void): DeviceAudit {
  var key: Uint8Array | null = null, a: AuditLogT | null = null, bootNo = 0;
  try {
    key = purposeKey(root, PURPOSE.AUDIT, 32);
    var last = -1;
    a = AuditLog(flash, key, function (e) { last = e.boot; });
    var v = a.mountVerdict;
    bootNo = last < 0 ? 0 : (last + 1) & 0xffff;
    if (v.ok) log("audit trail: " + v.count + " entries verify" + (v.tornTail ? " (one torn last write skipped)" : ""));
    else log("audit trail: the chain breaks at entry " + v.firstBad + " (" + v.reason + "): " + v.count + " entries verify");
  } catch (e) {
    if (isPowerCut(e)) throw e;
    log("audit trail unavailable: " + message(e));
    if (a) a.close();
    a = null;
  } finally {
    if (key) wipe(key);
  }
  if (a === null) return noAudit();
  var trail = a as AuditLogT;
  var quiet = false;

  return {
    enabled: function () { return !quiet; },
    boot: function () { return bootNo; },
    record: function (event: number, detail?: Uint8Array): void {
      if (quiet) return;
      try {
        trail.append(event, bootNo, clock.now() / 1000, detail);
      } catch (e) {
        if (isPowerCut(e)) throw e;
        quiet = true;
        log("audit trail: writing failed, no further events this boot: " + message(e));
      }
    },
    read: function (from: number, max: number): AuditPage {
      var out: Uint8Array[] = [], more = false;
      var v = trail.verify(function (e) {
        if (e.seq < from) return;
        if (out.length >= max) { more = true; return; }
        var r = new Uint8Array(32);
        r.set(e.raw);
        out.push(r);
      });
      return { verdict: v, items: out, more: more };
    },
    erase: function (): void {
      trail.erase();
      quiet = false;
    },
    close: function (): void {
      trail.close();
    },
  };
}
