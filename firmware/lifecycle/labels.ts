/**
 * The label registry: every domain-separation string firstlight uses, in one list, so that no two
 * derivations ever share a label (docs/lifecycle.md, Key hierarchy). Versioned: a purpose label
 * reads "firstlight/1 NAME", and a change of derivation takes a new version, never a reused name.
 *
 * Two kinds:
 *   "purpose"      a purpose key of the device root, derived here by purposeKey:
 *                  key = HKDF-SHA256(ikm = root, salt = empty, info = UTF-8 label, L = length)
 *   "construction" a label inside another construction (a salted HKDF, a DRBG personalization,
 *                  a hash prefix, a Noise prologue); listed so it stays unique, derived where it is used.
 *
 * Each purpose label has exactly one length: HKDF outputs of one label at two lengths share a
 * prefix, so a second length would make two "different" keys overlap. ES5.
 */
import { utf8Encode } from "../crypto/bytes";
import { hkdfSha256 } from "../crypto/hkdf";
import { fail } from "../errors";

export var LABEL_VERSION = 1;
export var PURPOSE_PREFIX = "firstlight/" + LABEL_VERSION + " ";

export interface LabelEntry {
  label: string;
  kind: "purpose" | "construction";
  /** Key bytes for a purpose label; 0 for a construction label. */
  length: number;
  /** What the label separates. */
  what: string;
  /** Where it is used (files and doc sections). */
  where: string;
}

/** Purpose labels, for callers: purposeKey(root, PURPOSE.AUDIT, 32). */
export var PURPOSE = {
  AUDIT: "firstlight/1 audit",
};

/**
 * The registry, built when asked and not kept: on Espruino a table held in a variable costs about
 * 250 variables (its prose included) for as long as the firmware runs; built on demand, only while
 * a purpose key is derived (docs/engines.md, "Memory on Espruino").
 */
export function labelRegistry(): LabelEntry[] {
  return [
    {
      label: PURPOSE.AUDIT, kind: "purpose", length: 32,
      what: "MAC key of the audit trail (HMAC-SHA256 chain tags)",
      where: "firmware/lifecycle/audit.ts (takes the key), docs/audit-format.md",
    },
    {
      label: "firstlight v2 storage", kind: "construction", length: 0,
      what: "store keys per generation g (store format 2): HKDF-SHA256(ikm = root, salt = seed_g, info, 104) = storage key ‖ name key ‖ key check ‖ salt key",
      where: "firmware/store/keys.ts (deriveKeys; the salt key is used by seal.ts)",
    },
    {
      label: "firstlight v1 seed", kind: "construction", length: 0,
      what: "key-page seed without a random source: HMAC-SHA256(root, label ‖ g)",
      where: "firmware/store/keys.ts",
    },
    {
      label: "firstlight entropy gate v1", kind: "construction", length: 0,
      what: "HMAC_DRBG personalization string of the entropy gate",
      where: "firmware/entropy/gate.ts, docs/entropy.md",
    },
    {
      label: "firstlight boot seed next", kind: "construction", length: 0,
      what: "SHA-256 prefix: the boot seed stored for the next boot",
      where: "firmware/entropy/boot-seed.ts, docs/entropy.md",
    },
    {
      label: "firstlight boot seed mix", kind: "construction", length: 0,
      what: "SHA-256 prefix: the boot seed value mixed into the pool (never credited)",
      where: "firmware/entropy/boot-seed.ts, docs/entropy.md",
    },
    {
      label: "firstlight/1 pairing", kind: "construction", length: 0,
      what: "CPace channel identifier CI and the pairing Noise prologue prefix",
      where: "firmware/onboarding/pairing.ts, commissioner/pairing.ts, docs/protocol.md §2",
    },
    {
      label: "firstlight/1 psk", kind: "construction", length: 0,
      what: "Noise PSK = HKDF-SHA256(ikm = CPace ISK, salt = empty, info, 32)",
      where: "firmware/onboarding/pairing.ts, commissioner/pairing.ts, docs/protocol.md §2.1",
    },
    {
      label: "firstlight/1 session", kind: "construction", length: 0,
      what: "Noise prologue of an authenticated session (session keys come from Noise Split, not from the root)",
      where: "commissioner/session.ts, docs/protocol.md §3",
    },
    {
      label: "firstlight/1 device-psk", kind: "construction", length: 0,
      what: "registrar (host): per-device PSK = HKDF-SHA256(ikm = master, salt = label, info = deviceId ‖ epoch, 32)",
      where: "registrar/derive.ts",
    },
    {
      label: "firstlight/1 registry-audit", kind: "construction", length: 0,
      what: "registrar (host): key of the registry's audit chain, HKDF-SHA256(ikm = master, salt = label, info = empty, 32)",
      where: "registrar/master-key.ts",
    },
    {
      label: "firstlight/1 master-id", kind: "construction", length: 0,
      what: "registrar (host): the master key's public id the registry records, HKDF-SHA256(ikm = master, salt = label, info = empty, 8)",
      where: "registrar/master-key.ts",
    },
  ];
}

/** The registry entry of `label`, or null. */
export function findLabel(label: string): LabelEntry | null {
  var all = labelRegistry();
  for (var i = 0; i < all.length; i++) if (all[i].label === label) return all[i];
  return null;
}

/**
 * A purpose key of the device root: HKDF-SHA256(ikm = root, salt = empty, info = label, length).
 * Refuses a label that is not a registered purpose label, a length other than the registered one,
 * and a root shorter than 32 bytes. The caller wipes the key when its use ends.
 */
export function purposeKey(root: Uint8Array, label: string, length: number): Uint8Array {
  if (!(root instanceof Uint8Array) || root.length < 32)
    fail("LIFECYCLE_BAD_ROOT", "root must be a Uint8Array of at least 32 bytes" + (root instanceof Uint8Array ? ", got " + root.length : ""));
  if (typeof label !== "string") fail("LIFECYCLE_BAD_LABEL", "label must be a string");
  var e = findLabel(label);
  if (!e) fail("LIFECYCLE_BAD_LABEL", "unknown key label \"" + label + "\": add it to firmware/lifecycle/labels.ts first");
  if (e.kind !== "purpose")
    fail("LIFECYCLE_BAD_LABEL", "\"" + label + "\" is not a root purpose label: it belongs to " + e.where);
  if (length !== e.length) fail("LIFECYCLE_BAD_LABEL", "\"" + label + "\" is registered for " + e.length + "-byte keys, got " + length);
  return hkdfSha256(root, new Uint8Array(0), utf8Encode(label), length);
}
