/**
 * This commissioner's X25519 identity in the browser. The private key is sealed with AES-GCM under
 * a WebCrypto key made non-extractable (the browser will use it but never hand its bytes to any
 * script); both live in IndexedDB (`keys` / "identity"). The private key is opened only for a
 * pairing or a session and wiped when it ends. Why not a non-extractable X25519 key itself: the
 * Noise and CPace code shared with the Node CLI computes its DHs synchronously on @noble, while
 * WebCrypto's deriveBits is asynchronous (docs/web-commissioner.md, "Keys").
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { toHex, utf8Encode, wipe } from "../../commissioner/bytes.ts";
import { generateKeyPair, type KeyPair } from "../../commissioner/noise.ts";
import { request } from "./idb.ts";

/** Additional data of the sealed key: names what it is, so no other sealed blob can stand in for it. */
export const IDENTITY_AAD = utf8Encode("firstlight/1 web commissioner identity");

export interface StoredIdentity {
  /** AES-GCM, 256 bits, extractable: false, usages encrypt and decrypt. */
  sealingKey: CryptoKey;
  iv: Uint8Array;
  /** AES-GCM(sealingKey, iv, the 32-byte X25519 private key, IDENTITY_AAD): 48 bytes. */
  sealed: Uint8Array;
  /** The public key, hex (shown; not secret). */
  publicKey: string;
  createdAt: string;
}

export interface Identity {
  publicKey: string;
  createdAt: string;
  /** Opens the private key for `fn` and wipes it after. */
  use<T>(fn: (kp: KeyPair) => Promise<T>): Promise<T>;
}

async function create(subtle: SubtleCrypto): Promise<StoredIdentity> {
  const sealingKey = await subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  const sk = randomBytes(32);
  const kp = generateKeyPair(sk);
  const iv = randomBytes(12);
  const sealed = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: iv as BufferSource, additionalData: IDENTITY_AAD as BufferSource }, sealingKey, sk as BufferSource));
  const publicKey = toHex(kp.publicKey);
  wipe(sk, kp.privateKey);
  return { sealingKey, iv, sealed, publicKey, createdAt: new Date().toISOString() };
}

/** Loads the identity, or creates it on first use (an `add`, so two tabs creating at once keep one). */
export async function loadOrCreateIdentity(db: IDBDatabase, subtle: SubtleCrypto): Promise<Identity & { created: boolean }> {
  let stored = (await request(db.transaction("keys").objectStore("keys").get("identity"))) as StoredIdentity | undefined;
  let created = false;
  if (!stored) {
    const fresh = await create(subtle);
    try {
      await request(db.transaction("keys", "readwrite").objectStore("keys").add(fresh, "identity"));
      created = true;
    } catch {
      // Another tab won the race: use its key.
    }
    stored = (await request(db.transaction("keys").objectStore("keys").get("identity"))) as StoredIdentity;
  }
  const s = stored;
  return {
    publicKey: s.publicKey,
    createdAt: s.createdAt,
    created,
    use: async (fn) => {
      let sk: Uint8Array;
      try {
        sk = new Uint8Array(await subtle.decrypt({ name: "AES-GCM", iv: s.iv as BufferSource, additionalData: IDENTITY_AAD as BufferSource }, s.sealingKey, s.sealed as BufferSource));
      } catch {
        throw new Error("this commissioner's identity key does not open (its sealed copy in IndexedDB is damaged): devices paired with it must be paired again");
      }
      const kp = generateKeyPair(sk);
      wipe(sk);
      try {
        return await fn(kp);
      } finally {
        wipe(kp.privateKey);
      }
    },
  };
}
