/**
 * Noise vectors for the `noise` suite: every non-deferred Noise_*_25519_ChaChaPoly_SHA256 vector of
 * cacophony (36), snow (28) and the `Noise_*` entries of noise-c-basic (15; its obsolete
 * `NoisePSK_*` entries are left out, SOURCES.md), re-encoded with short keys and only the fields
 * that apply. Plus a few values computed here with @noble/ciphers (independent of the firmware)
 * for the CipherState checks: a ciphertext at the highest usable nonce 2^53 − 1, and Rekey().
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { VECTORS } from "../../../build/paths.ts";

interface RawVector {
  protocol_name?: string;
  name?: string;
  init_prologue?: string; resp_prologue?: string;
  init_static?: string; init_ephemeral?: string; init_remote_static?: string; init_psks?: string[];
  resp_static?: string; resp_ephemeral?: string; resp_remote_static?: string; resp_psks?: string[];
  handshake_hash?: string;
  messages: { payload: string; ciphertext: string }[];
}

/** One vector, lean: absent keys are simply missing. `m` is [payload, ciphertext] per message. */
export interface LeanVector {
  name: string; src: string;
  ip: string; rp: string;
  is?: string; ie?: string; irs?: string; ipsk?: string[];
  rs?: string; re?: string; rrs?: string; rpsk?: string[];
  hh?: string;
  m: string[][];
}

/** Non-deferred pattern with optional psk modifiers: NN, XKpsk3, XXpsk0+psk1, … (no X1K, NK1, …). */
const NON_DEFERRED = /^Noise_[NKXI]{1,2}(psk\d(\+psk\d)*)?_25519_ChaChaPoly_SHA256$/;

function lean(v: RawVector, src: string): LeanVector {
  const out: LeanVector = { name: (v.protocol_name ?? v.name)!, src, ip: v.init_prologue ?? "", rp: v.resp_prologue ?? "", m: [] };
  if (v.init_static) out.is = v.init_static;
  if (v.init_ephemeral) out.ie = v.init_ephemeral;
  if (v.init_remote_static) out.irs = v.init_remote_static;
  if (v.init_psks && v.init_psks.length) out.ipsk = v.init_psks;
  if (v.resp_static) out.rs = v.resp_static;
  if (v.resp_ephemeral) out.re = v.resp_ephemeral;
  if (v.resp_remote_static) out.rrs = v.resp_remote_static;
  if (v.resp_psks && v.resp_psks.length) out.rpsk = v.resp_psks;
  if (v.handshake_hash) out.hh = v.handshake_hash;
  out.m = v.messages.map((m) => [m.payload, m.ciphertext]);
  return out;
}

export function noiseVectors(): LeanVector[] {
  const out: LeanVector[] = [];
  const files: [string, string][] = [
    ["cacophony", "cacophony_25519_ChaChaPoly_SHA256.json"],
    ["snow", "snow_25519_ChaChaPoly_SHA256.json"],
    ["noise-c", "noise-c-basic.txt"],
  ];
  for (const [src, file] of files) {
    const vs = JSON.parse(readFileSync(join(VECTORS, "noise", file), "utf8")).vectors as RawVector[];
    for (const v of vs) {
      const name = v.protocol_name ?? v.name ?? "";
      if (NON_DEFERRED.test(name)) out.push(lean(v, src));
    }
  }
  return out;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** §12.3 nonce: 4 zero bytes ‖ little-endian 64-bit n. */
function nonce(n: bigint): Uint8Array {
  const b = new Uint8Array(12);
  for (let i = 0; i < 8; i++) b[4 + i] = Number((n >> BigInt(8 * i)) & 255n);
  return b;
}

/** Host-computed CipherState checks (noble, not the firmware): high nonces and Rekey. */
export function cipherChecks() {
  const key = new Uint8Array(32).map((_, i) => i + 1);
  const pt = new TextEncoder().encode("firstlight nonce");
  const ad = new TextEncoder().encode("ad");
  const top = 2n ** 53n - 1n;
  const rekeyed = chacha20poly1305(key, nonce(2n ** 64n - 1n)).encrypt(new Uint8Array(32)).subarray(0, 32);
  return {
    key: hex(key), pt: hex(pt), ad: hex(ad),
    /** Encryption at nonce 2^53 − 1 (the last usable one) and 2^32 (the low word wraps). */
    ctTop: hex(chacha20poly1305(key, nonce(top), ad).encrypt(pt)),
    ct2p32: hex(chacha20poly1305(key, nonce(2n ** 32n), ad).encrypt(pt)),
    /** After Rekey() at nonce 5: the new key encrypts under nonce 5 (Rekey keeps n). */
    ctRekeyed5: hex(chacha20poly1305(rekeyed, nonce(5n), ad).encrypt(pt)),
  };
}

export default function load(): unknown {
  return { vectors: noiseVectors(), cipher: cipherChecks() };
}

/** Lists of independent vectors: build/selftest.ts may cut them into pieces. */
export const cuttable = ["vectors"];
