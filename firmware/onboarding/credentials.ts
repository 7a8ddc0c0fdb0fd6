/**
 * What onboarding keeps in the encrypted store, and the only code that reads or writes it.
 * The store is anything with get/put/remove/shred (firmware/store's Store satisfies it).
 *
 *   "id"     32 bytes  the device identity private key (X25519), generated on the device
 *   "pair"   32 + n    the commissioner's static public key ‖ the configuration TLV (§2.6): one
 *                      record, so a power cut leaves the device either paired with all of it or not
 *   "fails"  1 byte    failed pairing attempts since the last success (0 … 20)
 *   "seed"   32 bytes  the entropy gate's boot seed (firmware/entropy/boot-seed.ts)
 */
import { fail } from "../errors";
import { copyBytes, wipe } from "../crypto/bytes";
import { decodeConfiguration, type Configuration } from "./tlv";

export interface CredentialStore {
  get(name: string): Uint8Array | null;
  put(name: string, value: Uint8Array): void;
  remove(name: string): void;
  shred(): void;
}

export var REC_IDENTITY = "id";
export var REC_PAIRING = "pair";
export var REC_FAILS = "fails";
export var REC_SEED = "seed";

/** Matter's kMaxFailedCommissioningAttempts. */
export var MAX_FAILED_ATTEMPTS = 20;

export interface Pairing {
  peer: Uint8Array;
  config: Configuration;
}

export interface Credentials {
  /** The identity private key, or null before the first pairing attempt. A copy: the caller wipes it. */
  identity(): Uint8Array | null;
  saveIdentity(priv: Uint8Array): void;
  /** The stored pairing, or null when unpaired (or the record is unreadable). */
  pairing(): Pairing | null;
  savePairing(peer: Uint8Array, configTlv: Uint8Array): void;
  failedAttempts(): number;
  /** Persists failures + 1 and returns the new count (before any other work on an attempt, §2.2). */
  countFailure(): number;
  resetFailures(): void;
  /** Factory reset: crypto-shreds everything. */
  shred(): void;
  /** The store as the entropy gate's boot seed store. */
  seedStore(): { load(): Uint8Array | null; save(seed: Uint8Array): void };
}

export function credentialsOn(store: CredentialStore): Credentials {
  /** Cached: read on every PAIR_HELLO, written only through countFailure/resetFailures. */
  var fails = -1;

  function readFails(): number {
    if (fails >= 0) return fails;
    var v = store.get(REC_FAILS);
    // An unreadable counter counts as the limit: failing closed costs a factory reset, failing
    // open would give an attacker fresh guesses.
    fails = v === null ? 0 : v.length === 1 && v[0] <= MAX_FAILED_ATTEMPTS ? v[0] : MAX_FAILED_ATTEMPTS;
    return fails;
  }

  return {
    identity: function (): Uint8Array | null {
      var v = store.get(REC_IDENTITY);
      if (v === null) return null;
      if (v.length !== 32) {
        wipe(v);
        return null;
      }
      return v;
    },
    saveIdentity: function (priv: Uint8Array): void {
      if (priv.length !== 32) fail("DEVICE_BAD_INPUT", "an identity key is 32 bytes");
      store.put(REC_IDENTITY, priv);
    },
    pairing: function (): Pairing | null {
      var v = store.get(REC_PAIRING);
      if (v === null || v.length < 32) return null;
      var config: Configuration;
      try {
        config = decodeConfiguration(v.subarray(32));
      } catch (e) {
        return null;
      }
      return { peer: copyBytes(v.subarray(0, 32)), config: config };
    },
    savePairing: function (peer: Uint8Array, configTlv: Uint8Array): void {
      var rec = new Uint8Array(32 + configTlv.length);
      rec.set(peer);
      rec.set(configTlv, 32);
      store.put(REC_PAIRING, rec);
    },
    failedAttempts: readFails,
    countFailure: function (): number {
      var n = readFails() + 1;
      if (n > MAX_FAILED_ATTEMPTS) n = MAX_FAILED_ATTEMPTS;
      store.put(REC_FAILS, new Uint8Array([n]));
      fails = n;
      return n;
    },
    resetFailures: function (): void {
      store.put(REC_FAILS, new Uint8Array([0]));
      fails = 0;
    },
    shred: function (): void {
      fails = -1;
      store.shred();
    },
    seedStore: function () {
      return {
        load: function (): Uint8Array | null {
          return store.get(REC_SEED);
        },
        save: function (seed: Uint8Array): void {
          store.put(REC_SEED, seed);
        },
      };
    },
  };
}
