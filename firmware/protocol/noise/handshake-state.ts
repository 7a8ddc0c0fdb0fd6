/**
 * Noise HandshakeState (revision 34, §5.3) for Noise_*_25519_ChaChaPoly_SHA256, with the psk
 * modifier of §9. One object per handshake, one side of it: Initialize in the constructor, then
 * writeMessage / readMessage in the order the pattern gives, then split() once for the transport
 * CipherStates.
 *
 * Secrets and when they die:
 *  - every DH output: wiped right after MixKey has absorbed it;
 *  - each PSK (our copy): wiped right after its psk token;
 *  - the ephemeral private key (the array `random(32)` returned) and our copy of the static
 *    private key: wiped when the last handshake message is written or read;
 *  - ck and the handshake key: wiped by Split(), which runs as soon as the last message is done.
 * Any error (malformed or forged message, low-order key, out-of-order call) ends the handshake:
 * all of the above is wiped at once and every later call fails with PROTO_BAD_STATE.
 */
import { fail, checkBytes } from "../../errors";
import { wipe, concatBytes, utf8Encode, view } from "../../crypto/bytes";
import { CipherState, MAX_MESSAGE_LEN } from "./cipher-state";
import { SymmetricState } from "./symmetric-state";
import { DHLEN, KeyPair, RandomSource, generateKeypair, keypairOf, dh } from "./dh";
import {
  HandshakePattern, patternOfProtocolName,
  TOKEN_E, TOKEN_S, TOKEN_EE, TOKEN_ES, TOKEN_SE, TOKEN_SS, TOKEN_PSK,
} from "./patterns";

export interface HandshakeOptions {
  /** Full protocol name, e.g. "Noise_XXpsk3_25519_ChaChaPoly_SHA256" (§8). */
  protocolName: string;
  initiator: boolean;
  /** §6: bytes both sides must agree on; mixed into h first. Default empty. */
  prologue?: Uint8Array;
  /** Our static private key (32 bytes), when the pattern uses one. Copied; the caller keeps its own. */
  s?: Uint8Array;
  /** Our ephemeral private key for a pattern with an "e" pre-message (none of the shipped patterns). */
  e?: Uint8Array;
  /** The peer's static public key, when the pattern has it as a pre-message (NK, KK, IK, …). */
  rs?: Uint8Array;
  /** The peer's ephemeral public key, for an "e" pre-message of the peer. */
  re?: Uint8Array;
  /**
   * 32-byte PSKs in the order of the modifiers in the name (§9), or fewer and the rest later by
   * supplyPsk() before their tokens. Copied and wiped after use.
   */
  psks?: Uint8Array[];
  /** Source of ephemeral private keys: `random(32)`. Required when we send an "e". */
  random?: RandomSource;
}

/** The transport CipherStates (§5.3 Split), from our side: send is c1 for the initiator, c2 for the responder. */
export interface TransportStates {
  send: CipherState | null;
  recv: CipherState | null;
}

var RUNNING = 0, COMPLETE = 1, DEAD = 2;
var EMPTY = new Uint8Array(0);

function contains(list: number[], token: number): boolean {
  for (var i = 0; i < list.length; i++) if (list[i] === token) return true;
  return false;
}

function copyOf(b: Uint8Array): Uint8Array {
  var c = new Uint8Array(b.length);
  c.set(b);
  return c;
}

export class HandshakeState {
  private pattern: HandshakePattern;
  private initiator: boolean;
  private ss: SymmetricState;
  private s: KeyPair | null = null;
  private e: KeyPair | null = null;
  private rs: Uint8Array | null = null;
  private re: Uint8Array | null = null;
  private psks: Uint8Array[] = [];
  private pskUsed = 0;
  private random: RandomSource | null;
  /** §9.2: in a PSK handshake every "e" token is followed by MixKey(e.public_key). */
  private pskMode: boolean;
  /** Index of the next message pattern. */
  private index = 0;
  private status = RUNNING;
  private c1: CipherState | null = null;
  private c2: CipherState | null = null;

  /** §5.3 Initialize(handshake_pattern, initiator, prologue, s, e, rs, re) plus the PSKs of §9. */
  constructor(opts: HandshakeOptions) {
    if (!opts || typeof opts !== "object") fail("PROTO_BAD_INPUT", "HandshakeState needs an options object");
    var p = patternOfProtocolName(opts.protocolName);
    this.pattern = p;
    this.initiator = !!opts.initiator;
    this.random = opts.random || null;
    this.pskMode = p.psks > 0;
    var mine = this.initiator ? 0 : 1, peer = 1 - mine;
    var i: number;

    // Which keys this side's role needs, from the pattern itself.
    var sendsE = false, sendsS = false, receivesS = false, receivesE = false;
    for (i = 0; i < p.messages.length; i++) {
      var ours = (i & 1) === mine;
      if (contains(p.messages[i], TOKEN_E)) { if (ours) sendsE = true; else receivesE = true; }
      if (contains(p.messages[i], TOKEN_S)) { if (ours) sendsS = true; else receivesS = true; }
    }
    var needS = sendsS || contains(p.pre[mine], TOKEN_S);
    var needE = contains(p.pre[mine], TOKEN_E);
    var needRs = contains(p.pre[peer], TOKEN_S);
    var needRe = contains(p.pre[peer], TOKEN_E);
    requireKey(opts.s, needS, "s", p.name);
    requireKey(opts.e, needE, "e", p.name);
    requireKey(opts.rs, needRs, "rs", p.name);
    requireKey(opts.re, needRe, "re", p.name);
    if (receivesS && opts.rs) fail("PROTO_BAD_INPUT", p.name + " sends the peer's static key: rs must be empty");
    if (receivesE && opts.re) fail("PROTO_BAD_INPUT", p.name + " sends the peer's ephemeral key: re must be empty");
    if (sendsE && typeof opts.random !== "function") fail("PROTO_BAD_INPUT", p.name + " needs random(n) for its ephemeral key");
    var psks = opts.psks || [];
    if (!Array.isArray(psks) || psks.length > p.psks)
      fail("PROTO_BAD_INPUT", p.name + " takes " + p.psks + " PSK(s)");
    for (i = 0; i < psks.length; i++) checkBytes(psks[i], "psk", 32);
    if (opts.prologue !== undefined) checkBytes(opts.prologue, "prologue");

    if (needS) this.s = keypairOf(opts.s as Uint8Array);
    if (needE) this.e = keypairOf(opts.e as Uint8Array);
    if (needRs) this.rs = copyOf(opts.rs as Uint8Array);
    if (needRe) this.re = copyOf(opts.re as Uint8Array);
    for (i = 0; i < psks.length; i++) this.psks.push(copyOf(psks[i]));

    // §5.3 Initialize: InitializeSymmetric(protocol_name), MixHash(prologue), then the pre-message
    // public keys, the initiator's first (§7.1).
    this.ss = new SymmetricState(utf8Encode(opts.protocolName));
    this.ss.mixHash(opts.prologue || EMPTY);
    this.preMessage(p.pre[0], this.initiator);
    this.preMessage(p.pre[1], !this.initiator);
  }

  private preMessage(tokens: number[], local: boolean): void {
    for (var i = 0; i < tokens.length; i++) {
      if (tokens[i] === TOKEN_S) this.ss.mixHash(local ? (this.s as KeyPair).pub : this.rs as Uint8Array);
      else {
        var pub = local ? (this.e as KeyPair).pub : this.re as Uint8Array;
        this.ss.mixHash(pub);
        if (this.pskMode) this.ss.mixKey(pub);
      }
    }
  }

  /**
   * Supplies the next PSK after Initialize, for a side that learns it mid-handshake (the pairing
   * initiator learns the CPace ISK from message 2 and needs the PSK for psk3). Copied; wiped after use.
   */
  supplyPsk(psk: Uint8Array): void {
    if (this.status !== RUNNING) fail("PROTO_BAD_STATE", "handshake is not running");
    checkBytes(psk, "psk", 32);
    if (this.psks.length >= this.pattern.psks) fail("PROTO_BAD_INPUT", this.pattern.name + " takes " + this.pattern.psks + " PSK(s)");
    this.psks.push(copyOf(psk));
  }

  /** True when the next message is ours to write. */
  isMyTurn(): boolean {
    return this.status === RUNNING && (this.index & 1) === (this.initiator ? 0 : 1);
  }

  /** True after the last handshake message has been written or read. */
  isComplete(): boolean {
    return this.status === COMPLETE;
  }

  /**
   * §5.3 WriteMessage(payload, message_buffer): returns the message (at most 65535 bytes).
   * After the last message the handshake is complete; call split().
   */
  writeMessage(payload?: Uint8Array): Uint8Array {
    this.expectTurn(true);
    var pl = payload === undefined ? EMPTY : payload;
    checkBytes(pl, "payload");
    if (pl.length > MAX_MESSAGE_LEN) fail("PROTO_BAD_LENGTH", "a Noise message is at most 65535 bytes");
    try {
      var tokens = this.pattern.messages[this.index], parts: Uint8Array[] = [], ss = this.ss;
      for (var i = 0; i < tokens.length; i++) {
        var t = tokens[i];
        if (t === TOKEN_E) {
          if (this.e !== null) fail("PROTO_BAD_STATE", "ephemeral key already set");
          var e = generateKeypair(this.random as RandomSource);
          this.e = e;
          parts.push(copyOf(e.pub));
          ss.mixHash(e.pub);
          if (this.pskMode) ss.mixKey(e.pub);
        } else if (t === TOKEN_S) {
          parts.push(ss.encryptAndHash((this.s as KeyPair).pub));
        } else this.mixToken(t);
      }
      parts.push(ss.encryptAndHash(pl));
      var msg = concatBytes(parts);
      if (msg.length > MAX_MESSAGE_LEN) fail("PROTO_BAD_LENGTH", "a Noise message is at most 65535 bytes");
      this.advance();
      return msg;
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  /**
   * §5.3 ReadMessage(message, payload_buffer): returns the decrypted payload. A message that is
   * short, forged, carries a low-order key or is too long ends the handshake.
   */
  readMessage(message: Uint8Array): Uint8Array {
    this.expectTurn(false);
    try {
      checkBytes(message, "message");
      if (message.length > MAX_MESSAGE_LEN) fail("PROTO_BAD_LENGTH", "a Noise message is at most 65535 bytes");
      var tokens = this.pattern.messages[this.index], ss = this.ss, p = 0, n = message.length;
      for (var i = 0; i < tokens.length; i++) {
        var t = tokens[i];
        if (t === TOKEN_E) {
          if (n - p < DHLEN) fail("PROTO_BAD_LENGTH", "message too short for the peer's ephemeral key");
          var re = copyOf(view(message, p, p + DHLEN));
          p += DHLEN;
          this.re = re;
          ss.mixHash(re);
          if (this.pskMode) ss.mixKey(re);
        } else if (t === TOKEN_S) {
          var len = ss.cs.hasKey() ? DHLEN + 16 : DHLEN;
          if (n - p < len) fail("PROTO_BAD_LENGTH", "message too short for the peer's static key");
          this.rs = ss.decryptAndHash(view(message, p, p + len));
          p += len;
        } else this.mixToken(t);
      }
      var payload = ss.decryptAndHash(view(message, p));
      this.advance();
      return payload;
    } catch (err) {
      this.destroy();
      throw err;
    }
  }

  /** The DH tokens (§5.3, from this side's point of view in both directions) and psk (§9.2). */
  private mixToken(t: number): void {
    var init = this.initiator, s = this.s, e = this.e;
    if (t === TOKEN_EE) this.mixDh(e, this.re);
    else if (t === TOKEN_ES) { if (init) this.mixDh(e, this.rs); else this.mixDh(s, this.re); }
    else if (t === TOKEN_SE) { if (init) this.mixDh(s, this.re); else this.mixDh(e, this.rs); }
    else if (t === TOKEN_SS) this.mixDh(s, this.rs);
    else if (t === TOKEN_PSK) {
      if (this.pskUsed >= this.psks.length) fail("PROTO_MISSING_KEY", "no PSK supplied for the psk token");
      var psk = this.psks[this.pskUsed++];
      this.ss.mixKeyAndHash(psk);
      wipe(psk);
    }
  }

  /** MixKey(DH(local, remote)), the DH output wiped as soon as it is absorbed. */
  private mixDh(local: KeyPair | null, remote: Uint8Array | null): void {
    if (local === null || remote === null) fail("PROTO_BAD_STATE", "a DH token needs a key this side does not have");
    var k = dh((local as KeyPair).priv, remote as Uint8Array);
    this.ss.mixKey(k);
    wipe(k);
  }

  private expectTurn(writing: boolean): void {
    if (this.status !== RUNNING) fail("PROTO_BAD_STATE", this.status === COMPLETE ? "handshake already complete" : "handshake failed or was destroyed");
    if (this.isMyTurn() !== writing) {
      this.destroy();
      fail("PROTO_BAD_STATE", writing ? "not our turn to write: read the peer's message first" : "our turn to write, not to read");
    }
  }

  /** After each message; after the last one, Split() and wipe every handshake secret. */
  private advance(): void {
    this.index++;
    if (this.index < this.pattern.messages.length) return;
    var cs = this.ss.split();
    this.c1 = cs[0];
    this.c2 = cs[1];
    // §7.4: one-way patterns use only c1 (initiator → responder).
    if (this.pattern.oneWay) {
      this.c2.destroy();
      this.c2 = null;
    }
    this.wipeKeys();
    this.status = COMPLETE;
  }

  /**
   * The transport CipherStates, once, after the handshake is complete. For a one-way pattern the
   * initiator gets only `send` and the responder only `recv`.
   */
  split(): TransportStates {
    if (this.status !== COMPLETE) fail("PROTO_BAD_STATE", "split() before the handshake is complete");
    if (this.c1 === null) fail("PROTO_BAD_STATE", "split() already called");
    var c1 = this.c1, c2 = this.c2;
    this.c1 = this.c2 = null;
    return this.initiator ? { send: c1, recv: c2 } : { send: c2, recv: c1 };
  }

  /** §5.2 GetHandshakeHash(): h, for channel binding (§11.2); final once the handshake is complete. */
  getHandshakeHash(): Uint8Array {
    return this.ss.getHandshakeHash();
  }

  /** The peer's static public key (received or pre-shared), or null. */
  getRemoteStatic(): Uint8Array | null {
    return this.rs === null ? null : copyOf(this.rs);
  }

  /** Our static public key, or null. */
  getLocalStatic(): Uint8Array | null {
    return this.s === null ? null : copyOf(this.s.pub);
  }

  /** Ends the handshake: wipes every secret (including transport keys not yet taken by split()). */
  destroy(): void {
    this.wipeKeys();
    this.ss.destroy();
    if (this.c1) this.c1.destroy();
    if (this.c2) this.c2.destroy();
    this.c1 = this.c2 = null;
    this.status = DEAD;
  }

  private wipeKeys(): void {
    if (this.e) wipe(this.e.priv);
    if (this.s) wipe(this.s.priv);
    for (var i = 0; i < this.psks.length; i++) wipe(this.psks[i]);
  }
}

function requireKey(k: Uint8Array | undefined, needed: boolean, name: string, pattern: string): void {
  if (needed) {
    if (k === undefined || k === null) fail("PROTO_MISSING_KEY", pattern + " needs " + name);
    checkBytes(k as Uint8Array, name, 32);
  }
}
