/**
 * What one device-side pairing and one operational session cost in accelerator operations:
 * the firmware device (TS sources on Node, test-sim's harness) against the real commissioner, with
 * a counting accelerator installed (backed by @noble, so the counts are the device's alone: the
 * commissioner uses @noble directly). Two ways:
 *  - "hashes": X25519 calls and the length of every message the SHA-256 and SHA-512 one-shots hash
 *    (HMAC, HKDF, the DRBG and Noise's hash included), the AEAD in TypeScript;
 *  - "kernel": as a board with the whole Cortex-M kernel (accel.aead and accel.kdf): X25519 and
 *    Elligator 2 calls, every AEAD, HMAC-SHA-256, HKDF-SHA-256 and DRBG call with its sizes, and the
 *    one-shot hashes left (Noise's MixHash and the like).
 */
import { sha256 as nobleSha256, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { hkdf as nobleHkdf } from "@noble/hashes/hkdf.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { elligator2 as tsElligator2 } from "../firmware/protocol/cpace/elligator2.ts";
import { useAccel } from "../firmware/crypto/accel.ts";
import type { Accel } from "../hal/accel.ts";
import { generateKeyPair } from "../commissioner/noise.ts";
import { pair } from "../commissioner/pairing.ts";
import { openSession } from "../commissioner/session.ts";
import { boot, connect, ready, CODE } from "../test-sim/firmware/onboarding/harness.ts";

export interface DeviceOps {
  x25519: number;
  sha256: number[];
  sha512: number[];
  /** "kernel" mode only: */
  elligator2: number;
  /** [aad bytes, text bytes, 1 = open] */
  aead: [number, number, number][];
  /** [key bytes, message bytes] */
  hmac: [number, number][];
  /** [salt, ikm, info, out bytes] */
  hkdf: [number, number, number, number][];
  /** provided-data bytes of each Update */
  drbgUpdate: number[];
  /** [bytes out, additional bytes] */
  drbgGenerate: [number, number][];
}

export type CountMode = "hashes" | "kernel";

function emptyOps(): DeviceOps {
  return { x25519: 0, sha256: [], sha512: [], elligator2: 0, aead: [], hmac: [], hkdf: [], drbgUpdate: [], drbgGenerate: [] };
}

/** HMAC_DRBG Update on K, V in place (SP 800-90A §10.1.2.2), with @noble's HMAC. */
function drbgUpdate(K: Uint8Array, V: Uint8Array, data: Uint8Array): void {
  for (let r = 0; r < (data.length ? 2 : 1); r++) {
    K.set(nobleHmac(nobleSha256, K, Uint8Array.from([...V, r, ...data])));
    V.set(nobleHmac(nobleSha256, K, V));
  }
}

function counter(mode: CountMode): { ops: DeviceOps; reset(): DeviceOps } {
  let ops = emptyOps();
  const kernel = mode === "kernel" ? {
    elligator2(out: Uint8Array, r: Uint8Array) {
      ops.elligator2++;
      useAccel(null);
      try { out.set(tsElligator2(r)); } finally { useAccel(acc); }
    },
    aead: {
      seal(k: Uint8Array, n: Uint8Array, p: Uint8Array, a: Uint8Array) {
        ops.aead.push([a.length, p.length, 0]);
        return chacha20poly1305(k, n, a).encrypt(p);
      },
      open(k: Uint8Array, n: Uint8Array, c: Uint8Array, a: Uint8Array) {
        ops.aead.push([a.length, c.length - 16, 1]);
        try { return chacha20poly1305(k, n, a).decrypt(c); } catch { return null; }
      },
    },
    hmacSha256(k: Uint8Array, m: Uint8Array) {
      ops.hmac.push([k.length, m.length]);
      return nobleHmac(nobleSha256, k, m);
    },
    hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, n: number) {
      ops.hkdf.push([salt.length, ikm.length, info.length, n]);
      return nobleHkdf(nobleSha256, ikm, salt, info, n);
    },
    drbg: {
      update(K: Uint8Array, V: Uint8Array, parts: Uint8Array[]) {
        const data = Uint8Array.from(parts.flatMap((p) => [...p]));
        ops.drbgUpdate.push(data.length);
        drbgUpdate(K, V, data);
      },
      generate(K: Uint8Array, V: Uint8Array, n: number, add: Uint8Array) {
        ops.drbgGenerate.push([n, add.length]);
        if (add.length) drbgUpdate(K, V, add);
        const out = new Uint8Array(n);
        for (let o = 0; o < n; o += 32) {
          V.set(nobleHmac(nobleSha256, K, V));
          out.set(V.subarray(0, Math.min(32, n - o)), o);
        }
        drbgUpdate(K, V, add);
        return out;
      },
    },
  } : {};
  const acc: Accel = {
    name: "counting-" + mode,
    ...kernel,
    x25519(out: Uint8Array, k: Uint8Array, u: Uint8Array) {
      ops.x25519++;
      out.set(nobleX25519.scalarMult(k, u));
    },
    sha256(d: Uint8Array) {
      ops.sha256.push(d.length);
      return nobleSha256(d);
    },
    sha512(d: Uint8Array) {
      ops.sha512.push(d.length);
      return nobleSha512(d);
    },
  };
  useAccel(acc);
  return {
    get ops() { return ops; },
    reset() {
      const o = ops;
      ops = emptyOps();
      return o;
    },
  };
}

/** Blocks a one-shot hash of n bytes compresses (FIPS 180-4 padding). */
export function blocks(lengths: number[], blockLen: number): number {
  const lenField = blockLen / 8;
  return lengths.reduce((s, n) => s + Math.floor((n + 1 + lenField + blockLen - 1) / blockLen), 0);
}

export async function countDeviceOps(mode: CountMode = "hashes"): Promise<{ pairing: DeviceOps; session: DeviceOps }> {
  const w = ready(boot());
  const c = counter(mode); // after boot: startDevice installed the sim board's (portable) accel
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
  (async () => {
    for (const mode of ["hashes", "kernel"] as const) {
      const o = await countDeviceOps(mode);
      for (const k of ["pairing", "session"] as const) {
        const x = o[k];
        console.log(`${mode} ${k}: ${x.x25519} X25519, SHA-256 ×${x.sha256.length} (${blocks(x.sha256, 64)} blocks), SHA-512 ×${x.sha512.length} (${blocks(x.sha512, 128)} blocks)` +
          (mode === "kernel" ? `, Elligator 2 ×${x.elligator2}, AEAD ×${x.aead.length}, HMAC ×${x.hmac.length}, HKDF ×${x.hkdf.length}, DRBG update ×${x.drbgUpdate.length}, generate ×${x.drbgGenerate.length}` : ""));
      }
    }
    process.exit(0);
  })();
}
