/**
 * What one device-side pairing and one operational session cost in accelerator operations:
 * the firmware device (TS sources on Node, test-sim's harness) against the real commissioner, with
 * a counting accelerator installed (backed by @noble, so the counts are the device's alone: the
 * commissioner uses @noble directly). Counts X25519 calls and the length of every message the
 * SHA-256 and SHA-512 one-shots hash (HMAC, HKDF, the DRBG and Noise's hash included).
 */
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { useAccel } from "../firmware/crypto/accel.ts";
import { generateKeyPair } from "../commissioner/noise.ts";
import { pair } from "../commissioner/pairing.ts";
import { openSession } from "../commissioner/session.ts";
import { boot, connect, ready, CODE } from "../test-sim/firmware/onboarding/harness.ts";

export interface DeviceOps { x25519: number; sha256: number[]; sha512: number[] }

function counter(): { ops: DeviceOps; reset(): DeviceOps } {
  let ops: DeviceOps = { x25519: 0, sha256: [], sha512: [] };
  useAccel({
    name: "counting",
    x25519(out, k, u) {
      ops.x25519++;
      out.set(nobleX25519.scalarMult(k, u));
    },
    sha256(d) {
      ops.sha256.push(d.length);
      return nobleSha256(d);
    },
    sha512(d) {
      ops.sha512.push(d.length);
      return nobleSha512(d);
    },
  });
  return {
    get ops() { return ops; },
    reset() {
      const o = ops;
      ops = { x25519: 0, sha256: [], sha512: [] };
      return o;
    },
  };
}

/** Blocks a one-shot hash of n bytes compresses (FIPS 180-4 padding). */
export function blocks(lengths: number[], blockLen: number): number {
  const lenField = blockLen / 8;
  return lengths.reduce((s, n) => s + Math.floor((n + 1 + lenField + blockLen - 1) / blockLen), 0);
}

export async function countDeviceOps(): Promise<{ pairing: DeviceOps; session: DeviceOps }> {
  const w = ready(boot());
  const c = counter(); // after boot: startDevice installed the sim board's (portable) accel
  try {
    const me = generateKeyPair();
    c.reset();
    const r = await pair(connect(w).t, { code: CODE, identity: me, stepTimeoutMs: 10_000 });
    const pairing = c.reset();
    const s = await openSession(connect(w).t, { identity: me, devicePublicKey: r.devicePublicKey, handshakeTimeoutMs: 10_000, idleTimeoutMs: 10_000 });
    const session = c.reset();
    s.close();
    return { pairing, session };
  } finally {
    w.device.stop();
    useAccel(null);
  }
}

if (process.argv[1]?.endsWith("accel-ops.ts")) {
  countDeviceOps().then((o) => {
    for (const k of ["pairing", "session"] as const) {
      const x = o[k];
      console.log(`${k}: ${x.x25519} X25519, SHA-256 ×${x.sha256.length} (${blocks(x.sha256, 64)} blocks), SHA-512 ×${x.sha512.length} (${blocks(x.sha512, 128)} blocks)`);
    }
    process.exit(0);
  });
}
