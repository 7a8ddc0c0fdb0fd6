/**
 * Sessions, the device's side (docs/protocol.md §3): the responder of Noise_KK_25519_ChaChaPoly_SHA256
 * from the stored statics with fresh ephemerals, then DATA and REKEY with strict per-direction
 * counters.
 *
 *   SESSION_HELLO   paired? entropy ready? `e` not among the recently accepted (PROTO_REPLAY, before
 *                   any DH)? → KK message 1 read (AUTH_FAILED if it does not decrypt), `e` remembered
 *                   → message 2 written as SESSION_ACCEPT → Split(): the ephemeral, the DH outputs and
 *                   the chaining key are wiped inside the HandshakeState at that moment (§3.2)
 *   first DATA/REKEY the session is open (onOpen: audit, idle timer) only once the commissioner's first
 *                   message decrypts; until then SESSION_CONFIRM_MS, since message 1 can be replayed
 *   DATA / REKEY    counter = the next expected nonce, or PROTO_REPLAY (smaller) / PROTO_OUT_OF_ORDER
 *                   (larger); a ciphertext that does not open is PROTO_AUTH. Each ends the session.
 *
 * The device answers ECHO (§5) and rekeys its own sending direction after `rekey-messages` messages,
 * `rekey-seconds` seconds (both from the pairing configuration) or DEFAULT_REKEY_BYTES plaintext
 * bytes, whichever comes first (§3.4): one rotation policy (firmware/lifecycle/policy.ts).
 */
import type { Clock } from "../../hal/clock";
import { fail } from "../errors";
import { concatBytes, utf8Decode, utf8Encode, wipe, view } from "../crypto/bytes";
import { HandshakeState } from "../protocol/noise/handshake-state";
import { rotationPolicy, type RotationPolicy } from "../lifecycle/policy";
import type { CipherState } from "../protocol/noise/cipher-state";
import type { Conversation, Responder } from "./conversation";
import type { Credentials, Pairing } from "./credentials";
import type { AuditPage } from "./audit-trail";
import type { HelloCache } from "./hello-cache";
import {
  DATA, REKEY, SESSION_ACCEPT, SESSION_HELLO, frameName, readU64be, u64be, type Frame,
  ERR_AUTH_FAILED, ERR_BUSY, ERR_NOT_PAIRED,
} from "./frames";

export var SESSION_PROTOCOL = "Noise_KK_25519_ChaChaPoly_SHA256";
export var SESSION_PROLOGUE = utf8Encode("firstlight/1 session");
/** §6. */
export var SESSION_HANDSHAKE_MS = 30000;
export var SESSION_IDLE_MS = 600000;
/**
 * §3.2, §6: from SESSION_ACCEPT to the commissioner's first authenticated message. Message 1 of KK
 * is replayable, so until that message decrypts the session is not open: not audited, no idle
 * timer, and a new link takes the conversation slot from it.
 */
export var SESSION_CONFIRM_MS = 10000;
/** What the commissioner asks for when its configuration says nothing (commissioner/pairing.ts DEFAULT_REKEY). */
export var DEFAULT_REKEY_MESSAGES = 1000;
export var DEFAULT_REKEY_SECONDS = 600;
/** The device's own byte budget per sending key (plaintext bytes of DATA), not configurable. */
export var DEFAULT_REKEY_BYTES = 1 << 20;

/** §5 application types. */
export var APP_ECHO = 0x01;
export var APP_TEXT = 0x02;
/** D → C: body = the application type acknowledged (1 byte). */
export var APP_ACK = 0x03;
/** C → D: body = the first sequence number wanted (u32); answered with AUDIT_ENTRIES. */
export var APP_AUDIT_READ = 0x10;
/** D → C: verdict (1) ‖ first bad seq (u32) ‖ more (1) ‖ count (1) ‖ count × 32 raw entries. */
export var APP_AUDIT_ENTRIES = 0x11;
/** C → D, empty: crypto-shred the credentials and return to unpaired; answered with ACK. */
export var APP_DECOMMISSION = 0x12;
/** C → D, empty: generate a new identity key (kept beside the old one); answered with IDENTITY_NEW. */
export var APP_ROTATE_IDENTITY = 0x13;
/** D → C: the new identity public key (32). */
export var APP_IDENTITY_NEW = 0x14;
/** C → D: the new identity public key (32): make it the identity, destroy the old one; answered with ACK. */
export var APP_ROTATE_CONFIRM = 0x15;
/** C → D, no body: rotate the storage key (every record re-sealed); the device answers ACK. */
export var APP_ROTATE_STORAGE = 0x16;
/** Entries per AUDIT_ENTRIES: 8 + 31 × 32 = 1000 bytes, the largest DATA plaintext (§1, §3.3). */
export var AUDIT_PER_MESSAGE = 31;
/** AUDIT_ENTRIES verdicts (one object: fewer top-level names for the minifier to hand out). */
export var AUDIT_VERDICT = { OK: 0, TORN_TAIL: 1, BROKEN: 2, NONE: 3 };

var EMPTY = new Uint8Array(0);

export interface SessionContext {
  creds: Credentials;
  clock: Clock;
  entropyProblem(): string[] | null;
  random(n: number): Uint8Array;
  /** A rekey of one direction (1 = our sending, 2 = our receiving), for the audit. */
  onRekey?(direction: number): void;
  /**
   * The session is open with the commissioner whose static key is `peer`: its first authenticated
   * message decrypted (a replayed SESSION_HELLO never gets this far).
   */
  onOpen(peer?: Uint8Array): void;
  /** SESSION_ACCEPT was sent; the session waits for the commissioner's first message to be open. */
  onAnswered?(): void;
  /**
   * KK message 1 decrypted and its `e` was not a recent one: this handshake may take the
   * conversation slot from an unconfirmed one (docs/protocol.md §7 "One conversation slot").
   */
  onHelloRead?(): void;
  /** The `e` of recently accepted hellos (the device's, in RAM); without it no replay is refused early. */
  hellos?: HelloCache;
  /** AUDIT_READ: up to `max` verified entries from `from`, or null when the device keeps no trail. */
  auditRead?(from: number, max: number): AuditPage | null;
  /** DECOMMISSION: shred the credentials (the session then answers ACK and ends). */
  onDecommission?(): void;
  /** ROTATE_IDENTITY: the pending identity's public key (generated and stored if there is none). */
  onRotate?(): Uint8Array;
  /** ROTATE_CONFIRM for `pub`: the pending key becomes the identity (throws when `pub` is not pending). */
  onRotateConfirm?(pub: Uint8Array): void;
  /** ROTATE_STORAGE: a new storage key, every stored record re-sealed under it. */
  onRotateStorage?(): void;
  /** A TEXT message (§5) from the commissioner. */
  onText(text: string): void;
}

export interface SessionStats {
  received: number;
  sent: number;
  rekeysSent: number;
  rekeysReceived: number;
}

/** The AUDIT_ENTRIES payload (§5) for one page of the trail. */
export function auditEntries(page: AuditPage | null): Uint8Array {
  var n = page === null ? 0 : page.items.length;
  var out = new Uint8Array(8 + 32 * n);
  out[0] = APP_AUDIT_ENTRIES;
  var bad = 0xffffffff;
  if (page === null) out[1] = AUDIT_VERDICT.NONE;
  else if (!page.verdict.ok) {
    out[1] = AUDIT_VERDICT.BROKEN;
    if (page.verdict.firstBad >= 0) bad = page.verdict.firstBad;
  } else out[1] = page.verdict.tornTail ? AUDIT_VERDICT.TORN_TAIL : AUDIT_VERDICT.OK;
  out[2] = bad >>> 24; out[3] = (bad >>> 16) & 255; out[4] = (bad >>> 8) & 255; out[5] = bad & 255;
  out[6] = page !== null && page.more ? 1 : 0;
  out[7] = n;
  for (var i = 0; i < n; i++) out.set((page as AuditPage).items[i], 8 + 32 * i);
  return out;
}

export function sessionResponder(ctx: SessionContext, c: Conversation, stats: SessionStats): Responder {
  var send: CipherState | null = null, recv: CipherState | null = null;
  var hs: HandshakeState | null = null;
  var rekeyMessages = DEFAULT_REKEY_MESSAGES, rekeyMs = DEFAULT_REKEY_SECONDS * 1000;
  var policy: RotationPolicy | null = null;
  var peer: Uint8Array | null = null, confirmed = false;

  function hello(body: Uint8Array): void {
    var pairing: Pairing | null = ctx.creds.pairing();
    if (pairing === null) return c.end(ERR_NOT_PAIRED, "", "session requested before pairing");
    var why = ctx.entropyProblem();
    if (why !== null) return c.end(ERR_BUSY, why[0], why[1]);
    // A replay of a recent hello: refused before the identity key is read, so before any DH.
    var ephemeral = body.length >= 32 ? view(body, 0, 32) : null;
    if (ephemeral !== null && ctx.hellos && ctx.hellos.seen(ephemeral)) fail("PROTO_REPLAY", "SESSION_HELLO replays a recently accepted ephemeral");
    var id = ctx.creds.identity();
    if (id === null) fail("DEVICE_STORE", "paired, but the identity key is missing from the store");
    if (pairing.config.rekeyMessages !== undefined) rekeyMessages = pairing.config.rekeyMessages;
    if (pairing.config.rekeySeconds !== undefined) rekeyMs = pairing.config.rekeySeconds * 1000;
    try {
      hs = new HandshakeState({
        protocolName: SESSION_PROTOCOL,
        initiator: false,
        prologue: SESSION_PROLOGUE,
        s: id as Uint8Array,
        rs: pairing.peer,
        random: ctx.random,
      });
    } finally {
      wipe(id as Uint8Array);
    }
    var payload: Uint8Array;
    try {
      payload = hs.readMessage(body); // e, es, ss
    } catch (e) {
      var code = (e as { code?: string }).code;
      if (code === "PROTO_BAD_KEY") throw e; // a low-order ephemeral: BAD_SHARE
      return c.end(ERR_AUTH_FAILED, "", "SESSION_HELLO did not decrypt (not our commissioner): " + code);
    }
    if (ctx.hellos) ctx.hellos.remember(ephemeral as Uint8Array);
    if (payload.length !== 0) fail("PROTO_BAD_PAYLOAD", "SESSION_HELLO carries an empty payload");
    // The first frame was a valid hello: the handshake's own deadline (§6) replaces the short
    // first-frame one, so a slow engine has time for the split-phase X25519s below.
    c.deadline(SESSION_HANDSHAKE_MS, "the session handshake");
    if (ctx.onHelloRead) ctx.onHelloRead();
    // Split-phase: message 2's three X25519s on the next tick (see Conversation.later).
    c.later(function () {
      var h = hs as HandshakeState;
      c.send(SESSION_ACCEPT, h.writeMessage(EMPTY)); // e, ee, se; then Split() and the wipe
      var t = h.split();
      hs = null;
      send = t.send;
      recv = t.recv;
      policy = rotationPolicy({ maxUses: rekeyMessages, maxBytes: DEFAULT_REKEY_BYTES, maxAgeMs: rekeyMs }, ctx.clock.now());
      peer = (pairing as Pairing).peer;
      // Not open yet: a replayed hello gets this far too (§3.2).
      c.deadline(SESSION_CONFIRM_MS, "the commissioner's first session message");
      if (ctx.onAnswered) ctx.onAnswered();
    });
  }

  /** One sealed frame, rekeying our direction first when the policy says so (§3.4). */
  function sendSealed(type: number, plaintext: Uint8Array): void {
    var s = send as CipherState, p = policy as RotationPolicy;
    // Before, not after, the DATA that would take this key past its byte budget (§3.4).
    if (type === DATA && (p.due(ctx.clock.now()) !== "" || p.usage().bytes + plaintext.length > DEFAULT_REKEY_BYTES)) {
      sendSealed(REKEY, EMPTY);
      s.rekey();
      p.reset(ctx.clock.now());
      stats.rekeysSent++;
      if (ctx.onRekey) ctx.onRekey(1);
    }
    var n = s.n;
    var ct = s.encryptWithAd(EMPTY, plaintext); // PROTO_NONCE_EXHAUSTED at 2^53
    c.send(type, concatBytes([u64be(n), ct]));
    if (type === DATA) {
      p.record(plaintext.length);
      stats.sent++;
    }
  }

  function transport(f: Frame): void {
    var r = recv as CipherState;
    var counter = readU64be(f.body, 0), expected = r.n;
    if (counter < expected) fail("PROTO_REPLAY", "counter " + counter + " already seen (expected " + expected + ")");
    if (counter > expected) fail("PROTO_OUT_OF_ORDER", "counter " + counter + " skips ahead (expected " + expected + ")");
    var pt = r.decryptWithAd(EMPTY, view(f.body, 8)); // PROTO_AUTH
    if (!confirmed) {
      // The initiator holds the keys of this handshake: now the session is open.
      confirmed = true;
      ctx.onOpen(peer as Uint8Array);
    }
    c.deadline(SESSION_IDLE_MS, "the next session message");
    if (f.type === REKEY) {
      if (pt.length !== 0) fail("PROTO_BAD_PAYLOAD", "REKEY carries an empty payload");
      r.rekey();
      stats.rekeysReceived++;
      if (ctx.onRekey) ctx.onRekey(2);
      return;
    }
    if (pt.length === 0) fail("PROTO_BAD_PAYLOAD", "DATA without an application type");
    stats.received++;
    var app = pt[0];
    if (app === APP_ECHO) sendSealed(DATA, pt);
    else if (app === APP_TEXT) {
      var text: string;
      try {
        text = utf8Decode(view(pt, 1));
      } catch (e) {
        text = "(" + (pt.length - 1) + " bytes, not UTF-8)";
      }
      ctx.onText(text);
    } else if (app === APP_AUDIT_READ && ctx.auditRead) {
      if (pt.length !== 5) fail("PROTO_BAD_PAYLOAD", "AUDIT_READ carries the first sequence number (u32)");
      var from = ((pt[1] << 24) | (pt[2] << 16) | (pt[3] << 8) | pt[4]) >>> 0;
      sendSealed(DATA, auditEntries(ctx.auditRead(from, AUDIT_PER_MESSAGE)));
    } else if (app === APP_ROTATE_IDENTITY && ctx.onRotate) {
      if (pt.length !== 1) fail("PROTO_BAD_PAYLOAD", "ROTATE_IDENTITY carries no body");
      var pub = ctx.onRotate();
      var ans = new Uint8Array(33);
      ans[0] = APP_IDENTITY_NEW;
      ans.set(pub, 1);
      sendSealed(DATA, ans);
    } else if (app === APP_ROTATE_CONFIRM && ctx.onRotateConfirm) {
      if (pt.length !== 33) fail("PROTO_BAD_PAYLOAD", "ROTATE_CONFIRM carries the new public key (32)");
      ctx.onRotateConfirm(view(pt, 1));
      sendSealed(DATA, new Uint8Array([APP_ACK, APP_ROTATE_CONFIRM]));
    } else if (app === APP_ROTATE_STORAGE && ctx.onRotateStorage) {
      if (pt.length !== 1) fail("PROTO_BAD_PAYLOAD", "ROTATE_STORAGE carries no body");
      ctx.onRotateStorage();
      sendSealed(DATA, new Uint8Array([APP_ACK, APP_ROTATE_STORAGE]));
    } else if (app === APP_DECOMMISSION && ctx.onDecommission) {
      if (pt.length !== 1) fail("PROTO_BAD_PAYLOAD", "DECOMMISSION carries no body");
      wipe(pt);
      ctx.onDecommission();
      sendSealed(DATA, new Uint8Array([APP_ACK, APP_DECOMMISSION]));
      c.end(0, "", "decommissioned");
      return;
    }
    // Other application types belong to later issues: accepted (the counter moved) and ignored.
    wipe(pt);
  }

  return {
    onFrame: function (f: Frame): void {
      if (send === null) {
        if (f.type !== SESSION_HELLO || hs !== null) fail("PROTO_UNEXPECTED", frameName(f.type) + " before the session is open");
        hello(f.body);
        return;
      }
      if (f.type !== DATA && f.type !== REKEY) fail("PROTO_UNEXPECTED", frameName(f.type) + " inside a session");
      transport(f);
    },
    onEnd: function (): void {
      if (hs) hs.destroy();
      if (send) send.destroy();
      if (recv) recv.destroy();
      hs = send = recv = null;
    },
  };
}
