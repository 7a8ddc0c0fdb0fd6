/**
 * The Noise Protocol Framework, revision 34, for 25519_ChaChaPoly_SHA256: CipherState (§5.1),
 * SymmetricState (§5.2), HandshakeState (§5.3), the handshake patterns of §7.4, §7.5 and §18 and the
 * pskN modifiers of §9. Host side, on @noble; the firmware has its own implementation and the two
 * must agree on every vector.
 */
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { x25519 } from "@noble/curves/ed25519.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { concatBytes, utf8Encode, wipe } from "./bytes.ts";
import { CommissionerError } from "./errors.ts";

export const DHLEN = 32;
export const HASHLEN = 32;
export const TAGLEN = 16;
/** Noise caps messages at 65535 bytes (§3). */
export const MAX_MESSAGE = 65535;
/**
 * Largest usable nonce + 1. Noise reserves 2^64−1 (§5.1); firstlight caps counters at 2^53 so they stay
 * exact JavaScript numbers on every engine (docs/protocol.md §3.3).
 */
export const NONCE_LIMIT = 2 ** 53;

export interface KeyPair {
  privateKey: Uint8Array;
  publicKey: Uint8Array;
}

/** GENERATE_KEYPAIR (§4.1); `privateKey` may be given for fixed vectors. */
export function generateKeyPair(privateKey?: Uint8Array): KeyPair {
  const sk = privateKey ? privateKey.slice() : randomBytes(32);
  return { privateKey: sk, publicKey: x25519.getPublicKey(sk) };
}

/** DH (§4.1). A low-order peer key (all-zero output) is refused: the code is BAD_SHARE. */
export function dh(kp: KeyPair, publicKey: Uint8Array): Uint8Array {
  try {
    return x25519.getSharedSecret(kp.privateKey, publicKey);
  } catch {
    throw new CommissionerError("BAD_SHARE", "the peer's X25519 key is of low order (all-zero shared secret)");
  }
}

/** ChaChaPoly nonce (§12.3): 32 zero bits then the 64-bit counter little-endian. */
function nonce96(n: number | "max"): Uint8Array {
  const iv = new Uint8Array(12);
  if (n === "max") {
    iv.fill(0xff, 4);
  } else {
    const v = new DataView(iv.buffer);
    v.setUint32(4, n >>> 0, true);
    v.setUint32(8, Math.floor(n / 0x100000000), true);
  }
  return iv;
}

function encrypt(k: Uint8Array, n: number | "max", ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return chacha20poly1305(k, nonce96(n), ad).encrypt(plaintext);
}

/** §5.1 */
export class CipherState {
  private k: Uint8Array | null = null;
  n = 0;
  /** Wiped: every later use throws. A wiped state must not act as §5.1's "no key", which passes plaintext through. */
  private destroyed = false;

  private live(): void {
    if (this.destroyed) throw new CommissionerError("PROTO_BAD_STATE", "this cipher state was wiped (its session or handshake ended)");
  }

  initializeKey(key: Uint8Array | null): void {
    this.live();
    wipe(this.k);
    this.k = key ? key.slice() : null;
    this.n = 0;
  }

  hasKey(): boolean {
    return this.k !== null;
  }

  setNonce(n: number): void {
    this.n = n;
  }

  private checkNonce(): void {
    if (this.n >= NONCE_LIMIT) throw new CommissionerError("PROTO_NONCE_EXHAUSTED", "the nonce counter reached 2^53: end this session");
  }

  encryptWithAd(ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    this.live();
    if (!this.k) return plaintext.slice();
    this.checkNonce();
    const c = encrypt(this.k, this.n, ad, plaintext);
    this.n++;
    return c;
  }

  /** A failed authentication leaves n unchanged (§5.1) and throws PROTO_AUTH. */
  decryptWithAd(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    this.live();
    if (!this.k) return ciphertext.slice();
    this.checkNonce();
    if (ciphertext.length < TAGLEN) throw new CommissionerError("PROTO_AUTH", "ciphertext shorter than its tag");
    let p: Uint8Array;
    try {
      p = chacha20poly1305(this.k, nonce96(this.n), ad).decrypt(ciphertext);
    } catch {
      throw new CommissionerError("PROTO_AUTH", "a message did not decrypt (bad tag)");
    }
    this.n++;
    return p;
  }

  /** REKEY(k) (§4.2, §11.3): the first 32 bytes of ENCRYPT(k, 2^64−1, ε, 32 zero bytes). n is kept. */
  rekey(): void {
    this.live();
    if (!this.k) return;
    const zeros = new Uint8Array(32);
    const c = encrypt(this.k, "max", new Uint8Array(0), zeros);
    wipe(this.k);
    this.k = c.slice(0, 32);
    wipe(c);
  }

  wipe(): void {
    wipe(this.k);
    this.k = null;
    this.destroyed = true;
  }
}

/** HKDF of §4.3 (HMAC-SHA256 with the chaining key as the key), 2 or 3 outputs. */
export function noiseHkdf(ck: Uint8Array, ikm: Uint8Array, outputs: 2 | 3): Uint8Array[] {
  const tempKey = hmac(sha256, ck, ikm);
  const o1 = hmac(sha256, tempKey, Uint8Array.of(1));
  const o2 = hmac(sha256, tempKey, concatBytes(o1, Uint8Array.of(2)));
  const out = [o1, o2];
  if (outputs === 3) out.push(hmac(sha256, tempKey, concatBytes(o2, Uint8Array.of(3))));
  wipe(tempKey);
  return out;
}

/** §5.2 */
export class SymmetricState {
  readonly cs = new CipherState();
  ck: Uint8Array;
  h: Uint8Array;

  constructor(protocolName: string) {
    const name = utf8Encode(protocolName);
    if (name.length <= HASHLEN) {
      this.h = new Uint8Array(HASHLEN);
      this.h.set(name);
    } else {
      this.h = sha256(name);
    }
    this.ck = this.h.slice();
  }

  mixKey(ikm: Uint8Array): void {
    const [ck, tempK] = noiseHkdf(this.ck, ikm, 2);
    wipe(this.ck);
    this.ck = ck;
    this.cs.initializeKey(tempK);
    wipe(tempK);
  }

  mixHash(data: Uint8Array): void {
    this.h = sha256(concatBytes(this.h, data));
  }

  mixKeyAndHash(ikm: Uint8Array): void {
    const [ck, tempH, tempK] = noiseHkdf(this.ck, ikm, 3);
    wipe(this.ck);
    this.ck = ck;
    this.mixHash(tempH);
    this.cs.initializeKey(tempK);
    wipe(tempH, tempK);
  }

  getHandshakeHash(): Uint8Array {
    return this.h.slice();
  }

  encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const c = this.cs.encryptWithAd(this.h, plaintext);
    this.mixHash(c);
    return c;
  }

  decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    const p = this.cs.decryptWithAd(this.h, ciphertext);
    this.mixHash(ciphertext);
    return p;
  }

  /** Split() (§5.2): the initiator sends with the first, the responder with the second. */
  split(): [CipherState, CipherState] {
    const [k1, k2] = noiseHkdf(this.ck, new Uint8Array(0), 2);
    const c1 = new CipherState();
    const c2 = new CipherState();
    c1.initializeKey(k1);
    c2.initializeKey(k2);
    wipe(k1, k2);
    return [c1, c2];
  }

  wipe(): void {
    wipe(this.ck);
    this.cs.wipe();
  }
}

// ---------------------------------------------------------------------------------------------
// Handshake patterns

export type Token = "e" | "s" | "ee" | "es" | "se" | "ss" | "psk";

export interface HandshakePattern {
  name: string;
  /** Pre-message tokens of the initiator and of the responder (§7.1). */
  preInitiator: Token[];
  preResponder: Token[];
  /** messages[i] is sent by the initiator when i is even (§7.1). */
  messages: Token[][];
  /** True when any psk modifier is present: "e" then also calls MixKey (§9.2). */
  psk: boolean;
  oneWay: boolean;
}

/**
 * The fundamental (§7.4, §7.5) and deferred (§18.2) patterns, as the spec writes them.
 * "->" lines before "..." are pre-messages.
 */
const PATTERNS: { [name: string]: string } = {
  N: "<- s | ... | -> e, es",
  K: "-> s | <- s | ... | -> e, es, ss",
  X: "<- s | ... | -> e, es, s, ss",
  NN: "-> e | <- e, ee",
  NK: "<- s | ... | -> e, es | <- e, ee",
  NX: "-> e | <- e, ee, s, es",
  KN: "-> s | ... | -> e | <- e, ee, se",
  KK: "-> s | <- s | ... | -> e, es, ss | <- e, ee, se",
  KX: "-> s | ... | -> e | <- e, ee, se, s, es",
  XN: "-> e | <- e, ee | -> s, se",
  XK: "<- s | ... | -> e, es | <- e, ee | -> s, se",
  XX: "-> e | <- e, ee, s, es | -> s, se",
  IN: "-> e, s | <- e, ee, se",
  IK: "<- s | ... | -> e, es, s, ss | <- e, ee, se",
  IX: "-> e, s | <- e, ee, se, s, es",
  NK1: "<- s | ... | -> e | <- e, ee, es",
  NX1: "-> e | <- e, ee, s | -> es",
  X1N: "-> e | <- e, ee | -> s | <- se",
  X1K: "<- s | ... | -> e, es | <- e, ee | -> s | <- se",
  XK1: "<- s | ... | -> e | <- e, ee, es | -> s, se",
  X1K1: "<- s | ... | -> e | <- e, ee, es | -> s | <- se",
  X1X: "-> e | <- e, ee, s, es | -> s | <- se",
  XX1: "-> e | <- e, ee, s | -> es, s, se",
  X1X1: "-> e | <- e, ee, s | -> es, s | <- se",
  K1N: "-> s | ... | -> e | <- e, ee | -> se",
  K1K: "-> s | <- s | ... | -> e, es | <- e, ee | -> se",
  KK1: "-> s | <- s | ... | -> e | <- e, ee, se, es",
  K1K1: "-> s | <- s | ... | -> e | <- e, ee, es | -> se",
  K1X: "-> s | ... | -> e | <- e, ee, s, es | -> se",
  KX1: "-> s | ... | -> e | <- e, ee, se, s | -> es",
  K1X1: "-> s | ... | -> e | <- e, ee, s | -> se, es",
  I1N: "-> e, s | <- e, ee | -> se",
  I1K: "<- s | ... | -> e, es, s | <- e, ee | -> se",
  IK1: "<- s | ... | -> e, s | <- e, ee, se, es",
  I1K1: "<- s | ... | -> e, s | <- e, ee, es | -> se",
  I1X: "-> e, s | <- e, ee, s, es | -> se",
  IX1: "-> e, s | <- e, ee, se, s | -> es",
  I1X1: "-> e, s | <- e, ee, s | -> se, es",
};

function tokens(line: string): Token[] {
  return line.slice(3).split(",").map((t) => t.trim() as Token);
}

/** Parses "XXpsk3", "XXpsk0+psk3", "KK" … into a pattern with its modifiers applied (§9.2). */
export function handshakePattern(nameWithModifiers: string): HandshakePattern {
  const m = /^([NKXI]1?[NKX]?1?)((?:psk\d+\+?)*)$/.exec(nameWithModifiers);
  const base = m ? PATTERNS[m[1]] : undefined;
  if (!m || base === undefined) throw new CommissionerError("NOISE_UNSUPPORTED", "unsupported Noise pattern " + nameWithModifiers);
  const lines = base.split(" | ");
  const dots = lines.indexOf("...");
  const pre = dots >= 0 ? lines.slice(0, dots) : [];
  const msgLines = dots >= 0 ? lines.slice(dots + 1) : lines;
  const p: HandshakePattern = {
    name: nameWithModifiers,
    preInitiator: [],
    preResponder: [],
    messages: msgLines.map(tokens),
    psk: false,
    oneWay: m[1].length === 1,
  };
  for (const l of pre) (l.startsWith("->") ? p.preInitiator : p.preResponder).push(...tokens(l));
  if (m[2]) {
    for (const mod of m[2].split("+")) {
      const n = Number(mod.slice(3));
      if (n === 0) p.messages[0].unshift("psk");
      else if (n <= p.messages.length) p.messages[n - 1].push("psk");
      else throw new CommissionerError("NOISE_UNSUPPORTED", "psk" + n + " is beyond the pattern's messages");
    }
    p.psk = true;
  }
  return p;
}

/** Splits "Noise_XXpsk3_25519_ChaChaPoly_SHA256" and checks the one suite we implement. */
export function parseProtocolName(protocolName: string): HandshakePattern {
  const parts = protocolName.split("_");
  if (parts.length !== 5 || parts[0] !== "Noise" || parts[2] !== "25519" || parts[3] !== "ChaChaPoly" || parts[4] !== "SHA256") {
    throw new CommissionerError("NOISE_UNSUPPORTED", "unsupported Noise protocol " + protocolName);
  }
  return handshakePattern(parts[1]);
}

export interface HandshakeOptions {
  protocolName: string;
  initiator: boolean;
  prologue?: Uint8Array;
  s?: KeyPair;
  /** Fixed ephemeral (test vectors only); otherwise generated when the "e" token is written. */
  e?: KeyPair;
  rs?: Uint8Array;
  re?: Uint8Array;
  /** PSKs in the order their tokens appear; more can be supplied later with supplyPsk(). */
  psks?: Uint8Array[];
}

/** §5.3 */
export class HandshakeState {
  readonly pattern: HandshakePattern;
  readonly initiator: boolean;
  private ss: SymmetricState;
  private s?: KeyPair;
  private e?: KeyPair;
  rs?: Uint8Array;
  re?: Uint8Array;
  private psks: Uint8Array[];
  private msgIndex = 0;
  private result: { send: CipherState; receive: CipherState; handshakeHash: Uint8Array } | null = null;

  constructor(o: HandshakeOptions) {
    this.pattern = parseProtocolName(o.protocolName);
    this.initiator = o.initiator;
    this.ss = new SymmetricState(o.protocolName);
    this.ss.mixHash(o.prologue ?? new Uint8Array(0));
    this.s = o.s;
    this.e = o.e && { privateKey: o.e.privateKey.slice(), publicKey: o.e.publicKey.slice() };
    this.rs = o.rs;
    this.re = o.re;
    this.psks = (o.psks ?? []).map((k) => k.slice());
    // Pre-messages (§7.1): the initiator's first, then the responder's; both sides hash the same keys.
    const local = (t: Token) => (t === "s" ? this.s?.publicKey : this.e?.publicKey);
    const remote = (t: Token) => (t === "s" ? this.rs : this.re);
    for (const [who, toks] of [["i", this.pattern.preInitiator], ["r", this.pattern.preResponder]] as const) {
      for (const t of toks) {
        const mine = (who === "i") === this.initiator;
        const key = mine ? local(t) : remote(t);
        if (!key) throw new CommissionerError("NOISE_MISSING_KEY", "pre-message key " + t + " is missing");
        this.ss.mixHash(key);
        if (t === "e" && this.pattern.psk) this.ss.mixKey(key);
      }
    }
  }

  /** Supplies the next PSK; pairing learns its PSK from CPace only after message 2 (docs/protocol.md §2.1). */
  supplyPsk(psk: Uint8Array): void {
    if (psk.length !== 32) throw new CommissionerError("NOISE_BAD_PSK", "a Noise PSK is exactly 32 bytes (§9.1)");
    this.psks.push(psk.slice());
  }

  get finished(): boolean {
    return this.result !== null;
  }

  /** True when the next message is ours to write. */
  get myTurn(): boolean {
    return (this.msgIndex % 2 === 0) === this.initiator;
  }

  get messageIndex(): number {
    return this.msgIndex;
  }

  getHandshakeHash(): Uint8Array {
    return this.ss.getHandshakeHash();
  }

  private nextPsk(): Uint8Array {
    const k = this.psks.shift();
    if (!k) throw new CommissionerError("NOISE_MISSING_KEY", "no PSK supplied for the psk token");
    return k;
  }

  private dhToken(t: Token): void {
    const I = this.initiator;
    let kp: KeyPair | undefined;
    let pub: Uint8Array | undefined;
    switch (t) {
      case "ee": kp = this.e; pub = this.re; break;
      case "es": kp = I ? this.e : this.s; pub = I ? this.rs : this.re; break;
      case "se": kp = I ? this.s : this.e; pub = I ? this.re : this.rs; break;
      case "ss": kp = this.s; pub = this.rs; break;
    }
    if (!kp || !pub) throw new CommissionerError("NOISE_MISSING_KEY", "a key for " + t + " is missing");
    const secret = dh(kp, pub);
    this.ss.mixKey(secret);
    wipe(secret);
  }

  writeMessage(payload: Uint8Array): Uint8Array {
    if (this.result || !this.myTurn) throw new CommissionerError("NOISE_STATE", "not this side's turn to write");
    const parts: Uint8Array[] = [];
    for (const t of this.pattern.messages[this.msgIndex]) {
      if (t === "e") {
        if (!this.e) this.e = generateKeyPair();
        parts.push(this.e.publicKey);
        this.ss.mixHash(this.e.publicKey);
        if (this.pattern.psk) this.ss.mixKey(this.e.publicKey);
      } else if (t === "s") {
        if (!this.s) throw new CommissionerError("NOISE_MISSING_KEY", "no static key to send");
        parts.push(this.ss.encryptAndHash(this.s.publicKey));
      } else if (t === "psk") {
        const k = this.nextPsk();
        this.ss.mixKeyAndHash(k);
        wipe(k);
      } else {
        this.dhToken(t);
      }
    }
    parts.push(this.ss.encryptAndHash(payload));
    const out = concatBytes(...parts);
    if (out.length > MAX_MESSAGE) throw new CommissionerError("NOISE_TOO_LARGE", "Noise message over 65535 bytes");
    this.advance();
    return out;
  }

  readMessage(message: Uint8Array): Uint8Array {
    if (this.result || this.myTurn) throw new CommissionerError("NOISE_STATE", "not this side's turn to read");
    let off = 0;
    const take = (n: number): Uint8Array => {
      if (off + n > message.length) throw new CommissionerError("PROTO_BAD_LENGTH", "Noise message too short");
      const b = message.subarray(off, off + n);
      off += n;
      return b;
    };
    for (const t of this.pattern.messages[this.msgIndex]) {
      if (t === "e") {
        this.re = take(DHLEN).slice();
        this.ss.mixHash(this.re);
        if (this.pattern.psk) this.ss.mixKey(this.re);
      } else if (t === "s") {
        this.rs = this.ss.decryptAndHash(take(this.ss.cs.hasKey() ? DHLEN + TAGLEN : DHLEN));
      } else if (t === "psk") {
        const k = this.nextPsk();
        this.ss.mixKeyAndHash(k);
        wipe(k);
      } else {
        this.dhToken(t);
      }
    }
    const payload = this.ss.decryptAndHash(message.subarray(off));
    this.advance();
    return payload;
  }

  private advance(): void {
    this.msgIndex++;
    if (this.msgIndex < this.pattern.messages.length) return;
    const [c1, c2] = this.ss.split();
    const hh = this.ss.getHandshakeHash();
    // One-way patterns use only c1, which this rule gives to the initiator's sending and the responder's receiving.
    this.result = this.initiator ? { send: c1, receive: c2, handshakeHash: hh } : { send: c2, receive: c1, handshakeHash: hh };
    this.wipeSecrets();
  }

  /** The transport cipher states and handshake hash, once the last message is written or read. */
  split(): { send: CipherState; receive: CipherState; handshakeHash: Uint8Array } {
    if (!this.result) throw new CommissionerError("NOISE_STATE", "handshake not finished");
    return this.result;
  }

  /** Ephemeral secrets and the chaining key die with the handshake (forward secrecy, docs/protocol.md §3.2). */
  wipeSecrets(): void {
    if (this.e) wipe(this.e.privateKey);
    this.ss.wipe();
    for (const k of this.psks) wipe(k);
    this.psks = [];
  }
}
