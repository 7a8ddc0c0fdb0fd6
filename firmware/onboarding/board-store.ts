/**
 * The credential store on the board's flash (firmware/store, docs/flash-format.md), keyed by the
 * hardware secret. The store is mounted at boot, before the entropy gate is open, so a first
 * format (or the reformat of a lost store) derives its key-page seed from the root; once the gate
 * opens, `upgradeSeed` rotates such a store to a random seed. A shred or a key rotation remounts
 * the store with the gate's DRBG as `random` and is refused while the DRBG is unavailable, so every
 * later generation's seed is fresh random bytes and a shred is a crypto-shred even against someone
 * holding the root and an old flash copy (docs/lifecycle.md "Storage keys").
 */
import type { Hal } from "../../hal/index";
import type { Flash } from "../../hal/flash";
import { flashRegion } from "../../hal/flash-region";
import { fail } from "../errors";
import { wipe } from "../crypto/bytes";
import { openStore, type StoreApi } from "../store/index";
import { REC_SEED, type CredentialStore } from "./credentials";
import { noAudit, openDeviceAudit, type DeviceAudit } from "./audit-trail";

/** The audit trail takes the last AUDIT_PAGES pages of a board area of at least MIN_PAGES_FOR_AUDIT. */
export var AUDIT_PAGES = 2;
export var MIN_PAGES_FOR_AUDIT = 6;

/**
 * The board's area split in two (docs/lifecycle.md "Audit on the device"): the store on the first
 * pages, the audit trail on the last two when there are at least 6 (the store needs 3 and keeps a
 * spare); a smaller area is all store and has no audit.
 */
export function boardAreas(flash: Flash): { store: Flash; audit: Flash | null } {
  if (flash.pageCount < MIN_PAGES_FOR_AUDIT) return { store: flash, audit: null };
  var n = flash.pageCount - AUDIT_PAGES;
  return { store: flashRegion(flash, 0, n), audit: flashRegion(flash, n, AUDIT_PAGES) };
}

/** The audit trail on the board's audit pages, keyed from the hardware secret; none if the board has no room. */
export function openBoardAudit(hal: Hal, log: (line: string) => void): DeviceAudit {
  var area = boardAreas(hal.flash).audit;
  if (area === null) {
    log("audit trail: none (the board's area has " + hal.flash.pageCount + " pages, the trail needs " + MIN_PAGES_FOR_AUDIT + ")");
    return noAudit();
  }
  var root = readRoot(hal);
  try {
    return openDeviceAudit(area, root, hal.clock, log);
  } finally {
    wipe(root);
  }
}

export interface BoardStore extends CredentialStore {
  /** Which seed the last key page got: "random" or "derived". */
  seedSource(): string;
  /** The key page's generation (audited at BOOT: the commissioner's rollback check, flash-format.md §8). */
  generation(): number;
  /** Damaged records, or unreadable pages of a store without a key page, found at mount (audit STORE_DAMAGE). */
  damaged(): number;
  /** The key page was lost and the store reformatted at mount (a factory reset, audited as one). */
  reformatted(): boolean;
  /**
   * A store whose key page has a derived seed moves to a random one: "rotated" (a key rotation),
   * "shredded" (nothing but the boot seed stored yet: the caller saves a fresh
   * boot seed) or "" (the seed was already random).
   */
  upgradeSeed(): string;
  close(): void;
}

function readRoot(hal: Hal): Uint8Array {
  if (!hal.secret) fail("DEVICE_NO_SECRET", "board " + hal.board.name + " has no hardware secret to key the store; give options.store");
  return (hal.secret as { read(): Uint8Array }).read();
}

/**
 * Says on the console what the mount found lost (the device audits it as STORE_DAMAGE): damaged
 * records, records that do not authenticate, a store without a key page whose pages hold nothing
 * readable. Returns how many records or pages were lost.
 */
function reportMountLosses(s: StoreApi, log: (line: string) => void): number {
  var st = s.stats(), lost = st.damaged, auth = 0;
  for (var i = 0; i < st.problems.length; i++) {
    var q = st.problems[i];
    if (q.code === "STORE_AUTH") auth++;
    else if (q.code === "STORE_CORRUPT" && q.page === -1) {
      lost += q.offset;
      log("store: " + q.note + "; anything it held (pairing, keys) is lost: pair the device again");
    }
  }
  if (st.damaged > 0) log("store: " + st.damaged + " damaged record(s) skipped at mount; what they held is lost (if the device was paired and now starts unpaired, pair it again)");
  if (auth > 0) log("store: " + auth + " record(s) do not authenticate and are ignored");
  return lost;
}

/**
 * Mount errors after which the store can never be read again, and what the log says. The store is
 * reformatted, which is a factory reset (logged and audited), rather than leaving a device that
 * cannot boot and so cannot even be reset with its button. STORE_ERASED: the data pages were
 * erased under a used key page (docs/flash-format.md §5): the reformat moves to a new generation,
 * never reusing that key page as if the device were new. Every other mount error (a wrong root, a
 * rollback) is thrown.
 */
var LOST: { [code: string]: string } = {
  STORE_CORRUPT: "the key page is lost and nothing on flash can be read",
  STORE_ERASED: "the data pages were erased under a used key page (tampering or a failed erase)",
  STORE_OLD_FORMAT: "the store is in an older format this firmware does not read",
};

export function openBoardStore(hal: Hal, randomIfReady: () => ((n: number) => Uint8Array) | null, log: (line: string) => void): BoardStore {
  var root = readRoot(hal), s: StoreApi, area = boardAreas(hal.flash).store, lost = false;
  try {
    try {
      s = openStore(area, root, { neverEmptied: true });
    } catch (e) {
      var why = LOST[(e as { code?: string }).code || ""];
      if (why === undefined) throw e;
      log("store: " + why + "; reformatting (a factory reset)");
      s = openStore(area, root, { reformat: true, neverEmptied: true });
      lost = true;
    }
  } finally {
    wipe(root);
  }
  var lossAtMount = reportMountLosses(s, log);
  /**
   * A new key page takes its seed from the gated DRBG: the mounted store is given it as `random`.
   * Without it (the gate gathering or failed) the operation is refused: never a root-derived seed.
   */
  function takeRandomSource(what: string): void {
    var random = randomIfReady();
    if (random === null) fail("ENTROPY_NOT_READY", what + " needs a random seed for the new key page, and the entropy gate is not open");
    // The mounted store takes the source as it is: no remount, which would read every page again.
    s.useRandom(random);
  }

  /** Nothing but the boot seed is stored (no record that fails to authenticate either). */
  function onlyBootSeed(): boolean {
    var names = s.names(), st = s.stats();
    return st.damaged === 0 && (names.length === 0 || (names.length === 1 && names[0] === REC_SEED));
  }

  function reopenDerived(): void {
    s.close();
    var r = readRoot(hal);
    try {
      s = openStore(area, r, { neverEmptied: true });
    } finally {
      wipe(r);
    }
  }

  return {
    get: function (name: string) { return s.get(name); },
    put: function (name: string, value: Uint8Array) { s.put(name, value); },
    remove: function (name: string) { s.remove(name); },
    shred: function (): void {
      // Without the DRBG (the gate gathering or failed) the shred still runs, to a key page with a
      // root-derived seed: what protects is destroying the old seed, and nothing secret can be
      // stored under the new one (pairing waits for the move to a random seed, upgradeSeed).
      if (randomIfReady() === null) reopenDerived();
      else takeRandomSource("a shred");
      s.shred();
    },
    rotateKey: function (): number {
      takeRandomSource("a storage-key rotation");
      s.rotateKey();
      return s.stats().generation;
    },
    upgradeSeed: function (): string {
      if (s.stats().seedSource !== "derived") return "";
      takeRandomSource("moving the store to a random seed");
      // Before the first pairing only the boot seed can be stored (pairing is refused while the
      // seed is derived), and the gate saves a fresh one: a shred loses nothing, and it needs no
      // spare pages (a rotation needs 3, which a 3- or 4-page store never has).
      if (onlyBootSeed()) {
        s.shred();
        log("store: shredded the root-derived first-life store to a random seed (key generation " + s.stats().generation + ")");
        return "shredded";
      }
      s.rotateKey();
      log("store: moved from a root-derived seed to a random seed (key generation " + s.stats().generation + ")");
      return "rotated";
    },
    seedSource: function () { return s.stats().seedSource; },
    generation: function () { return s.stats().generation; },
    damaged: function () { return lossAtMount; },
    reformatted: function () { return lost; },
    close: function () { s.close(); },
  };
}
