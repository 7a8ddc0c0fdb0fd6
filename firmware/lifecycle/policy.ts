/**
 * A rotation policy: rotate after a number of uses, a number of bytes, or an age — whichever comes
 * first — or when an event asks for it. One object serves session rekeying, identity rotation and
 * storage-key rotation; what "use" means is the caller's.
 */
import { fail } from "../errors";

export interface PolicyLimits {
  /** Uses (messages, seals, …) before rotation; 0 = no limit. */
  maxUses: number;
  /** Bytes processed before rotation; 0 = no limit. */
  maxBytes: number;
  /** Milliseconds of key age before rotation; 0 = no limit. */
  maxAgeMs: number;
}

export interface RotationPolicy {
  /** Counts one use of `bytes` bytes. */
  record(bytes: number): void;
  /** Marks rotation as requested by an event (a registrar command, a suspected compromise, …). */
  request(reason: string): void;
  /** The reason rotation is due at time `nowMs` ("uses", "bytes", "age", or the event's reason), or "" if it is not. */
  due(nowMs: number): string;
  /** Starts counting afresh for a new key created at `nowMs`. */
  reset(nowMs: number): void;
  /** Uses and bytes since the last reset. */
  usage(): { uses: number; bytes: number; sinceMs: number };
}

function checkLimit(name: string, v: number): void {
  if (typeof v !== "number" || v < 0 || v % 1 !== 0 || v > 9007199254740991) fail("POLICY_BAD_LIMIT", name + " must be a whole number ≥ 0, got " + v);
}

export function rotationPolicy(limits: PolicyLimits, nowMs: number): RotationPolicy {
  checkLimit("maxUses", limits.maxUses);
  checkLimit("maxBytes", limits.maxBytes);
  checkLimit("maxAgeMs", limits.maxAgeMs);
  var uses = 0, bytes = 0, since = nowMs, requested = "";
  return {
    record: function (n: number): void {
      uses++;
      bytes += n;
    },
    request: function (reason: string): void {
      requested = typeof reason === "string" && reason !== "" ? reason : "event";
    },
    due: function (now: number): string {
      if (requested !== "") return requested;
      if (limits.maxUses > 0 && uses >= limits.maxUses) return "uses";
      if (limits.maxBytes > 0 && bytes >= limits.maxBytes) return "bytes";
      if (limits.maxAgeMs > 0 && now - since >= limits.maxAgeMs) return "age";
      return "";
    },
    reset: function (now: number): void {
      uses = 0;
      bytes = 0;
      since = now;
      requested = "";
    },
    usage: function () {
      return { uses: uses, bytes: bytes, sinceMs: since };
    },
  };
}
