/**
 * The boot seed: 32 bytes saved to flash and mixed in at the next boot, like Linux's seedrng.
 * Rules:
 *  - it is mixed into the pool and used as DRBG personalization, but **never credited**: a copied
 *    image, a restored backup or a factory line that flashes one seed onto many boards must not
 *    make keys alike, and a seed alone never opens the gate;
 *  - it is used once: at load the stored seed is replaced at once by a one-way successor, so a
 *    crash before the gate opens cannot make the next boot mix the same bytes again;
 *  - a fresh seed, drawn from the DRBG after the gate opens, replaces it (and again at each reseed),
 *    so a factory reset never starts from the seed of an earlier life.
 */
import { Sha256 } from "../crypto/sha256";
import { utf8Encode, wipe } from "../crypto/bytes";

export var BOOT_SEED_BYTES = 32;

/** Where the seed lives; the flash store backs it on devices. `load` returns null when there is none. */
export interface SeedStore {
  load(): Uint8Array | null;
  save(seed: Uint8Array): void;
}

var NEXT_LABEL = utf8Encode("firstlight boot seed next");
var MIX_LABEL = utf8Encode("firstlight boot seed mix");

/**
 * Loads the saved seed (null when absent or malformed) and at once replaces it in the store by
 * SHA-256("…next" ‖ seed). Returns SHA-256("…mix" ‖ seed): the value to mix, never the stored bytes.
 * A store that throws is treated as empty: the seed is a bonus, never a requirement.
 */
export function takeBootSeed(store: SeedStore | null): Uint8Array | null {
  if (!store) return null;
  var seed: Uint8Array | null;
  try {
    seed = store.load();
  } catch (e) {
    return null;
  }
  if (!(seed instanceof Uint8Array)) return null;
  if (seed.length !== BOOT_SEED_BYTES) {
    wipe(seed);
    return null;
  }
  var next = new Sha256().update(NEXT_LABEL).update(seed).digest();
  var mix = new Sha256().update(MIX_LABEL).update(seed).digest();
  wipe(seed);
  saveBootSeed(store, next);
  wipe(next);
  return mix;
}

/** Saves `seed` (32 bytes); returns false when the store failed. */
export function saveBootSeed(store: SeedStore | null, seed: Uint8Array): boolean {
  if (!store) return false;
  try {
    store.save(seed);
    return true;
  } catch (e) {
    return false;
  }
}

/** A seed store in RAM (the simulator, tests, and boards until the flash store backs it). */
export function memorySeedStore(initial?: Uint8Array | null): SeedStore & { seed: Uint8Array | null; saves: number } {
  var s = {
    seed: initial ? new Uint8Array(initial) : null as Uint8Array | null,
    saves: 0,
    load: function (): Uint8Array | null { return s.seed === null ? null : new Uint8Array(s.seed); },
    save: function (seed: Uint8Array): void { s.seed = new Uint8Array(seed); s.saves++; },
  };
  return s;
}
