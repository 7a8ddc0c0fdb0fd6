/**
 * Pairing, the device's side (docs/protocol.md §2): the responder of CPace (setup code) and of
 * Noise_XXpsk3_25519_ChaChaPoly_SHA256 keyed by the CPace result.
 *
 *   PAIR_HELLO    window open? not locked? entropy ready? → count the attempt in flash → identity
 *                 key (generated on the device the first time) → CPace: Yb, ISK (BAD_SHARE on a
 *                 low-order Ya) → PSK = HKDF(ISK) → Noise message 1 read, message 2 written
 *   PAIR_CONFIRM  Noise message 3 read (PAIRING_FAILED if it does not decrypt) → configuration →
 *                 store peer key + configuration → reset the counter → close the window → PAIR_DONE
 *
 * Every secret of the attempt (CPace scalar, ISK, PSK, ephemeral, chaining key, transport keys) is
 * wiped when the attempt ends, whichever way it ends.
 */
import { fail } from "../errors";
import { concatBytes, copyBytes, utf8Encode, wipe, view } from "../crypto/bytes";
import { hkdfSha256 } from "../crypto/hkdf";
import { CPace } from "../protocol/cpace/cpace";
import { HandshakeState } from "../protocol/noise/handshake-state";
import type { CipherState } from "../protocol/noise/cipher-state";
import type { Conversation, Responder } from "./conversation";
import { MAX_FAILED_ATTEMPTS, type Credentials } from "./credentials";
import {
  PAIR_CONFIRM, PAIR_DONE, PAIR_HELLO, PAIR_RESPONSE, frameName, u64be, type Frame,
  ERR_BUSY, ERR_LOCKED, ERR_PAIRING_FAILED, ERR_WINDOW_CLOSED,
} from "./frames";
import { decodeConfiguration, encodeDeviceInfo, encodeStatus, STATUS_PAIRED, type Configuration, type DeviceInfo } from "./tlv";

export var PAIRING_PROTOCOL = "Noise_XXpsk3_25519_ChaChaPoly_SHA256";
/** §2.1: CPace CI and the start of the Noise prologue. */
export var PAIRING_CI = utf8Encode("firstlight/1 pairing");
export var PSK_INFO = utf8Encode("firstlight/1 psk");
export var SID_LEN = 16;
/** §6: PAIR_HELLO to PAIR_CONFIRM. */
export var PAIRING_STEP_MS = 60000;

var EMPTY = new Uint8Array(0);

export interface PairingContext {
  /** The setup code as bytes (CPace PRS). The responder copies nothing: the device keeps it. */
  prs: Uint8Array;
  creds: Credentials;
  info: DeviceInfo;
  windowOpen(): boolean;
  /** Null when keys can be generated; otherwise [ERROR detail code, why] from the gate's state. */
  entropyProblem(): string[] | null;
  random(n: number): Uint8Array;
  /** The attempt was counted (failures so far, this one included). */
  onAttempt(failures: number): void;
  /** A new identity key was generated and stored (audit: KEY_GENERATED with its public key's id). */
  onIdentityGenerated?(pub: Uint8Array): void;
  /** Stored, counter reset: close the window, show success. */
  onPaired(peer: Uint8Array, config: Configuration): void;
}

/** §2.1: PSK = HKDF-SHA256(ikm = ISK, salt = empty, info = "firstlight/1 psk", L = 32). */
export function derivePairingPsk(isk: Uint8Array): Uint8Array {
  return hkdfSha256(isk, EMPTY, PSK_INFO, 32);
}

/** The identity private key: the stored one, or 32 new bytes from the gated DRBG, stored before use. */
function identityOf(ctx: PairingContext, generated: () => void): Uint8Array {
  var id = ctx.creds.identity();
  if (id !== null) return id;
  generated();
  id = ctx.random(32);
  ctx.creds.saveIdentity(id);
  // Read back: a store that did not keep it fails here, not after the commissioner recorded the key.
  var back = ctx.creds.identity();
  if (back === null) fail("DEVICE_STORE", "the identity key was not kept by the store");
  wipe(back as Uint8Array);
  return id;
}

export function pairingResponder(ctx: PairingContext, c: Conversation): Responder {
  var hs: HandshakeState | null = null;
  var cpace: CPace | null = null;
  var id: Uint8Array | null = null, psk: Uint8Array | null = null;
  var failures = 0;

  function refuse(code: number, detail: string, why: string): void {
    c.end(code, detail, why);
  }

  function hello(body: Uint8Array): void {
    // LOCKED first: a locked device's window is closed too, and LOCKED is the answer that helps.
    if (ctx.creds.failedAttempts() >= MAX_FAILED_ATTEMPTS) return refuse(ERR_LOCKED, "", "20 failed attempts recorded");
    if (!ctx.windowOpen()) return refuse(ERR_WINDOW_CLOSED, "", "pairing outside the commissioning window");
    var why = ctx.entropyProblem();
    if (why !== null) return refuse(ERR_BUSY, why[0], why[1]);
    // §2.2: counted in flash before any other work; only a success resets it.
    failures = ctx.creds.countFailure();
    ctx.onAttempt(failures);
    c.deadline(PAIRING_STEP_MS, "PAIR_CONFIRM");

    // Split-phase (Conversation.later): at most three X25519s per tick, so a slow engine's event
    // loop and watchdog get a turn. Everything held across ticks is wiped by onEnd.
    var sid = copyBytes(view(body, 0, SID_LEN)), Ya = copyBytes(view(body, SID_LEN, SID_LEN + 32));
    var m1 = copyBytes(view(body, SID_LEN + 32));
    var fresh = false;
    id = identityOf(ctx, function () { fresh = true; });
    c.later(function () {
      // g from the code (Elligator2), Yb = X25519(y, g).
      cpace = new CPace({ role: "responder", prs: ctx.prs, ci: PAIRING_CI, sid: sid, random: ctx.random });
      c.later(function () {
        var cp = cpace as CPace, Yb = cp.Y;
        var isk = cp.deriveIsk(Ya); // K = X25519(y, Ya); PROTO_BAD_SHARE on a low-order Ya (K = G.I)
        cpace = null;
        psk = derivePairingPsk(isk);
        wipe(isk);
        // Initialize computes our static public key (one fixed-base X25519).
        hs = new HandshakeState({
          protocolName: PAIRING_PROTOCOL,
          initiator: false,
          prologue: concatBytes([PAIRING_CI, sid, Ya]),
          s: id as Uint8Array,
          psks: [psk],
          random: ctx.random,
        });
        wipe(id as Uint8Array);
        wipe(psk);
        id = psk = null;
        // The public key the HandshakeState derived: no extra X25519 for the audit's key id.
        if (fresh && ctx.onIdentityGenerated) ctx.onIdentityGenerated(hs.getLocalStatic() as Uint8Array);
        c.later(function () {
          var h = hs as HandshakeState;
          var p1 = h.readMessage(m1);
          if (p1.length !== 0) fail("PROTO_BAD_PAYLOAD", "PAIR_HELLO carries an empty payload");
          var m2 = h.writeMessage(encodeDeviceInfo(ctx.info)); // e, ee, es: PROTO_BAD_KEY on a low-order e
          c.send(PAIR_RESPONSE, concatBytes([Yb, m2]));
        });
      });
    });
  }

  function confirm(body: Uint8Array): void {
    var h = hs as HandshakeState, payload: Uint8Array;
    try {
      payload = h.readMessage(body);
    } catch (e) {
      var code = (e as { code?: string }).code;
      if (code === "PROTO_BAD_KEY") throw e; // a low-order static key: BAD_SHARE
      // Wrong setup code, a relay, tampering: the PSK or a tag did not match (§2.4).
      return refuse(ERR_PAIRING_FAILED, String(MAX_FAILED_ATTEMPTS - failures), "PAIR_CONFIRM did not decrypt: " + code);
    }
    var config = decodeConfiguration(payload);
    var peer = h.getRemoteStatic() as Uint8Array;
    var t = h.split();
    hs = null;
    var send = t.send as CipherState, recv = t.recv as CipherState;
    recv.destroy();
    try {
      // §2.4: stored first, then the counter reset, then the window closed, then PAIR_DONE.
      ctx.creds.savePairing(peer, payload);
      ctx.creds.resetFailures();
      failures = 0;
      ctx.onPaired(peer, config);
      var n = send.n;
      var sealed = send.encryptWithAd(EMPTY, encodeStatus(STATUS_PAIRED));
      c.send(PAIR_DONE, concatBytes([u64be(n), sealed]));
    } finally {
      send.destroy();
      wipe(payload);
    }
    c.end(0, "", "paired");
  }

  var next = PAIR_HELLO;
  return {
    onFrame: function (f: Frame): void {
      if (f.type !== next) fail("PROTO_UNEXPECTED", frameName(f.type) + " while pairing expects " + frameName(next));
      if (f.type === PAIR_HELLO) {
        next = PAIR_CONFIRM;
        hello(f.body);
      } else {
        next = -1;
        confirm(f.body);
      }
    },
    onEnd: function (): void {
      if (cpace) cpace.destroy();
      if (hs) hs.destroy();
      if (id) wipe(id);
      if (psk) wipe(psk);
      cpace = null;
      hs = null;
      id = psk = null;
    },
  };
}
