/**
 * The credential store's public API (docs/flash-format.md). Synchronous, as the Flash HAL is.
 *
 *   var store = openStore(flash, root, { random: drbgBytes });
 *   store.put("wifi.psk", bytes); store.get("wifi.psk"); store.remove("wifi.psk");
 *   store.names(); store.shred(); store.rotateKey(); store.stats();
 *
 * Errors are thrown with firmware/errors.ts `fail` and carry one of these codes:
 *
 *   STORE_FULL       no room for the record even after garbage collection (nothing was changed),
 *                    or the version counter is exhausted
 *   STORE_TOO_LARGE  the value is longer than stats().maxValueBytes
 *   STORE_CORRUPT    at mount: the key page is lost while records exist (open with { reformat: true }
 *                    to start over); damaged records elsewhere are not thrown but listed in
 *                    stats().problems, and everything intact stays readable
 *   STORE_AUTH       get(): the newest record of the name does not authenticate (it is never
 *                    replaced by an older one)
 *   STORE_ROLLBACK   at mount: records newer than the key page, or no authentic record at or
 *                    above options.minVersion
 *   STORE_BAD_ROOT   at mount: the root does not match the key page's key check
 *   STORE_BAD_INPUT  a bad name, value, root, option or flash geometry; a closed store
 *   STORE_IO         the flash reported an error
 */
import type { Flash } from "../../hal/flash";
import { Store, type StoreOptions, type StoreStats, type StoreProblem } from "./store";
import { maxValueBytes } from "./format";

export type { StoreOptions, StoreStats, StoreProblem };
export { Store };

export interface StoreApi {
  get(name: string): Uint8Array | null;
  put(name: string, value: Uint8Array): void;
  /** Deletes a name and erases every page that held one of its records; true when it had a value. */
  remove(name: string): boolean;
  /** The same as remove. */
  destroy(name: string): boolean;
  names(): string[];
  shred(): void;
  /** Gives a store mounted before the entropy gate opened its random source (later key pages take random seeds). */
  useRandom(random: (n: number) => Uint8Array): void;
  /** Moves to a new storage key: every live record re-sealed under it, the old key page erased (power-cut safe). */
  rotateKey(): void;
  stats(): StoreStats;
  close(): void;
}

/** Mounts the store on `flash` (formatting it on first use) with the 32-byte device secret or generated root. */
export function openStore(flash: Flash, root: Uint8Array, options?: StoreOptions): StoreApi {
  var s = new Store(flash, root, options || {});
  return {
    get: function (name: string) { return s.get(name); },
    put: function (name: string, value: Uint8Array) { s.put(name, value); },
    remove: function (name: string) { return s.remove(name); },
    destroy: function (name: string) { return s.remove(name); },
    names: function () { return s.names(); },
    shred: function () { s.shred(); },
    useRandom: function (random: (n: number) => Uint8Array) { s.useRandom(random); },
    rotateKey: function () { s.rotateKey(); },
    stats: function () { return s.stats(); },
    close: function () { s.close(); },
  };
}

/** What images publish as `firstlight.store`. */
export var storeApi = {
  openStore: openStore,
  maxValueBytes: maxValueBytes,
};
