/**
 * The credential store on the board's flash (firmware/store, docs/flash-format.md), keyed by the
 * hardware secret. The store is mounted at boot, before the entropy gate is open, so a first
 * format derives its key-page seed from the root; a factory reset remounts it with the gate's DRBG
 * as `random` when the gate is open, so the next generation's seed is fresh random bytes and the
 * shred is a crypto-shred even against someone holding the root and an old flash copy.
 */
import type { Hal } from "../../hal/index";
import { fail } from "../errors";
import { wipe } from "../crypto/bytes";
import { openStore, type StoreApi } from "../store/index";
import type { CredentialStore } from "./credentials";

export interface BoardStore extends CredentialStore {
  /** Which seed the last key page got: "random" or "derived". */
  seedSource(): string;
  close(): void;
}

function readRoot(hal: Hal): Uint8Array {
  if (!hal.secret) fail("DEVICE_NO_SECRET", "board " + hal.board.name + " has no hardware secret to key the store; give options.store");
  return (hal.secret as { read(): Uint8Array }).read();
}

/** `random(n)`, or null while the gate is closed. */
/**
 * A store whose key page is lost (STORE_CORRUPT) can never be read again: it is reformatted, which
 * is a factory reset (logged), rather than leaving a device that cannot boot and so cannot even be
 * reset with its button. Every other mount error (a wrong root, a rollback) is thrown.
 */
export function openBoardStore(hal: Hal, randomIfReady: () => ((n: number) => Uint8Array) | null, log: (line: string) => void): BoardStore {
  var root = readRoot(hal), s: StoreApi;
  try {
    try {
      s = openStore(hal.flash, root);
    } catch (e) {
      if ((e as { code?: string }).code !== "STORE_CORRUPT") throw e;
      log("store: the key page is lost and nothing on flash can be read; reformatting (a factory reset)");
      s = openStore(hal.flash, root, { reformat: true });
    }
  } finally {
    wipe(root);
  }
  return {
    get: function (name: string) { return s.get(name); },
    put: function (name: string, value: Uint8Array) { s.put(name, value); },
    remove: function (name: string) { s.remove(name); },
    shred: function (): void {
      var random = randomIfReady();
      if (random !== null) {
        s.close();
        var r = readRoot(hal);
        try {
          s = openStore(hal.flash, r, { random: random });
        } finally {
          wipe(r);
        }
      }
      s.shred();
    },
    seedSource: function () { return s.stats().seedSource; },
    close: function () { s.close(); },
  };
}
