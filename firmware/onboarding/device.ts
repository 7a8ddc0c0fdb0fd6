/**
 * The onboarding device: the entropy gate, the button, the LED, the commissioning window, the
 * credential store and the two responders, wired to a Hal.
 *
 *   var d = startDevice(hal, { setupCode: "20202021", windowMs: 180000, log: print });
 *   d.state();   // "unpaired" | "window-open" | "pairing" | "locked" | "paired" | "session" |
 *                // "entropy-failed" | "resetting" | "halted" | "stopped"
 *   d.stop();
 *
 * Rules (docs/protocol.md "Device behaviour"): a short press opens the window unless the device is
 * paired or locked; a long press (10 s) crypto-shreds the store and reboots; one conversation at a
 * time, the window closes on success, timeout or the 20th failure. The one conversation slot
 * (§7 "One conversation slot"): a link that has sent no complete first frame gives way to any new
 * link; a session handshake not yet confirmed by the commissioner's first message gives way only to
 * a newcomer whose own SESSION_HELLO was read (that newcomer waits as the one contender meanwhile);
 * anything else holds the slot and a second link gets ERROR BUSY.
 */
import { useAccel } from "../crypto/accel";
import type { Hal } from "../../hal/index";
import type { Link } from "../../hal/link";
import { fail } from "../errors";
import { ctEqual, utf8Encode, wipe } from "../crypto/bytes";
import { x25519Base } from "../crypto/x25519";
import { createEntropyGate, type EntropyGate, type GateAlarm, type GateError } from "../entropy/gate";
import { openBoardAudit, openBoardStore, type BoardStore } from "./board-store";
import { keyDetail, keyId, noAudit, KEY_KIND_IDENTITY, type DeviceAudit } from "./audit-trail";
import { AuditEvent } from "../lifecycle/audit";
import { watchPresses, type PressDetector } from "./button";
import { describe, startConversation, type Conversation, type Responder } from "./conversation";
import { credentialsOn, MAX_FAILED_ATTEMPTS, type CredentialStore, type Credentials } from "./credentials";
import { encodeErrorBody, encodeFrame, frameName, ERROR, ERR_BUSY, ERR_TIMEOUT, PAIR_HELLO, SESSION_HELLO, type Frame } from "./frames";
import { createLedPattern, type LedPattern } from "./led";
import { pairingResponder } from "./pairing";
import { sessionResponder, type SessionStats } from "./session";
import type { DeviceInfo } from "./tlv";
import { checkWindowMs, createWindow, type CommissioningWindow } from "./window";
import { createHelloCache } from "./hello-cache";

export var FIRMWARE_VERSION = "0.1.0";
/** PAIRING_LOCKED detail at boot: the stored counter did not read (docs/audit-format.md). */
export var LOCKED_COUNTER_UNREADABLE = 1;

export interface DeviceOptions {
  /** The 8 digits printed on the device (§2.1). */
  setupCode: string;
  /** Commissioning window, 180000 … 900000 ms (default 180000). */
  windowMs?: number;
  log?: (line: string) => void;
  /** Serial number for the device info TLV (default: none). */
  serial?: string;
  /** A store to use instead of opening firmware/store on hal.flash (tests). */
  store?: CredentialStore;
  /** An audit trail to use (tests); default: the board's audit pages, or none with `store`. */
  audit?: DeviceAudit;
}

export interface DeviceStatus {
  state: string;
  paired: boolean;
  failedAttempts: number;
  windowRemainingMs: number;
  entropy: { state: string; credited: number; needed: number };
  session: SessionStats;
}

export interface DeviceHandle {
  state(): string;
  stop(): void;
  status(): DeviceStatus;
  /** The identity public key once generated (it is generated at the first pairing attempt), else null. */
  identityPublicKey(): Uint8Array | null;
}

/** §2.1: 8 digits; one digit eight times, 12345678 and 87654321 are refused (Matter's rule). */
export function setupCodeProblem(code: unknown): string | null {
  if (typeof code !== "string" || code.length !== 8) return "the setup code is 8 ASCII digits";
  var i: number;
  for (i = 0; i < 8; i++) {
    var c = code.charCodeAt(i);
    if (c < 48 || c > 57) return "the setup code is 8 ASCII digits";
  }
  var same = true;
  for (i = 1; i < 8; i++) if (code.charAt(i) !== code.charAt(0)) same = false;
  if (same || code === "12345678" || code === "87654321") return "the setup code " + code + " is refused at manufacturing";
  return null;
}

function isPowerCut(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { powerCut?: boolean }).powerCut === true;
}

export function startDevice(hal: Hal, options: DeviceOptions): DeviceHandle {
  if (!hal || !hal.clock || !hal.button || !hal.trng || !hal.flash) fail("DEVICE_BAD_OPTION", "startDevice needs a Hal");
  if (!options || typeof options !== "object") fail("DEVICE_BAD_OPTION", "startDevice needs { setupCode }");
  var problem = setupCodeProblem(options.setupCode);
  if (problem !== null) fail("DEVICE_BAD_OPTION", problem);
  var windowMs = checkWindowMs(options.windowMs);
  var logFn = typeof options.log === "function" ? options.log : null;
  useAccel(hal.accel); // the crypto core calls the board's native kernel from here on
  var clock = hal.clock;
  var prs = utf8Encode(options.setupCode);
  var info: DeviceInfo = { firmware: FIRMWARE_VERSION, board: hal.board.name };
  if (options.serial !== undefined) info.serial = options.serial;

  var phase = "running"; // running | resetting | halted | stopped
  var conversation: Conversation | null = null, conversationKind = "";
  /** The session conversation's first authenticated message decrypted (docs/protocol.md §3.2). */
  var sessionConfirmed = false;
  /**
   * A link waiting, while the slot's holder is an unconfirmed session handshake, to show a
   * SESSION_HELLO of its own; it has sent no complete frame yet (once one is read it takes the slot).
   */
  var contender: Conversation | null = null;
  /** The `e` of the last accepted SESSION_HELLOs (RAM: a reboot empties it). */
  var hellos = createHelloCache();
  var stats: SessionStats = { received: 0, sent: 0, rekeysSent: 0, rekeysReceived: 0 };

  function log(line: string): void {
    if (logFn) logFn(line);
  }

  // Declared before the functions that use them (Lua scopes a `var` like `let`).
  var creds: Credentials;
  var presses: PressDetector;

  /**
   * Paired when the pairing record is there. One that exists but does not authenticate (STORE_AUTH)
   * still counts as paired: the setup path stays closed, sessions fail, and a factory reset is the
   * way out; treating it as unpaired would reopen setup to whoever can damage the flash.
   */
  function readPaired(): boolean {
    try {
      return creds.pairing() !== null;
    } catch (e) {
      log("the pairing record is unreadable (" + describe(e) + "): setup stays closed; a factory reset (hold 10 s) is needed");
      return true;
    }
  }

  var gateOpen = false;
  var boardStore = options.store ? null : openBoardStore(hal, function () {
    return gateOpen ? random : null;
  }, log);
  creds = credentialsOn(options.store || (boardStore as CredentialStore));
  var paired = readPaired();
  // The audit trail (docs/lifecycle.md "Audit on the device"): the board's last pages, keyed from
  // the hardware secret, which a shred does not destroy, so the trail outlives resets.
  var audit: DeviceAudit = options.audit || (options.store ? noAudit() : openBoardAudit(hal, log));
  var auditSurvivesShred = true;
  // BOOT carries the store's key generation (01 ‖ u32): a commissioner that saw a higher one
  // knows the store pages were rolled back (docs/flash-format.md §8).
  audit.record(AuditEvent.BOOT, boardStore === null ? undefined : u8u32(1, boardStore.generation()));
  if (boardStore !== null && boardStore.reformatted()) audit.record(AuditEvent.FACTORY_RESET);
  else if (boardStore !== null && boardStore.damaged() > 0) audit.record(AuditEvent.STORE_DAMAGE, u16(Math.min(0xffff, boardStore.damaged())));
  // §7: an unreadable failed-attempt counter reads as 20 (locked); said once, at boot.
  var failsProblem = creds.failedAttemptsProblem();
  if (failsProblem !== "") {
    log("the failed-attempt counter is unreadable (" + failsProblem + "): it reads as " + MAX_FAILED_ATTEMPTS + ", locked; a factory reset (hold 10 s) is needed");
    audit.record(AuditEvent.PAIRING_LOCKED, new Uint8Array([LOCKED_COUNTER_UNREADABLE]));
  }
  /** This conversation's pairing attempt was counted (its failure is audited when it ends). */
  var attemptCounted = false;

  /** FACTORY_RESET / DECOMMISSIONED, then the shred (audit-format.md §5). */
  function auditBeforeShred(event: number): void {
    if (!auditSurvivesShred) audit.erase();
    audit.record(event);
  }

  function u8u32(b: number, n: number): Uint8Array {
    return new Uint8Array([b, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
  }

  function u16(n: number): Uint8Array {
    return new Uint8Array([(n >>> 8) & 255, n & 255]);
  }
  var gate: EntropyGate = createEntropyGate({ trng: hal.trng, jitter: hal.jitter || null, clock: clock, board: hal.board, bootSeed: creds.seedStore() });
  var led: LedPattern = createLedPattern(hal.led, clock);
  var win: CommissioningWindow = createWindow(clock, windowMs, function (open: boolean, why: string) {
    log("commissioning window " + (open ? why + " for " + windowMs / 1000 + " s" : "closed: " + why));
    if (open) led.show(conversationKind === "pairing" ? "attempt" : "window");
    else if (why !== "success" && why !== "reset") led.show("off");
    // A window that times out ends the attempt in flight with it (it stays counted).
    if (!open && why === "timeout" && conversation !== null && conversationKind === "pairing")
      conversation.end(ERR_TIMEOUT, "window closed", "the commissioning window timed out");
  });

  /** Null when the gate is open; otherwise [the ERROR detail, a sentence]. */
  function entropyProblem(): string[] | null {
    var s = gate.status();
    if (s.state === "ready") return null;
    if (s.state === "failed") return [s.error ? s.error.code : "ENTROPY_SOURCE_FAILED", "the entropy gate failed: no keys can be generated"];
    return ["ENTROPY_NOT_READY", "entropy gate still gathering: " + s.credited + " of " + s.needed + " bits"];
  }

  /**
   * What refuses a pairing now: the entropy gate, or a store whose key page still has a
   * root-derived seed (its move to a random seed has not happened: nothing secret is sealed under
   * it, docs/lifecycle.md "Storage keys").
   */
  function pairingProblem(): string[] | null {
    var why = entropyProblem();
    if (why !== null) return why;
    if (boardStore !== null && boardStore.seedSource() === "derived") return ["STORE_SEED_DERIVED", "the store's key page still has a root-derived seed"];
    return null;
  }

  /** When the gate opens: a derived-seed store moves to a random seed; after a shred the gate saves a fresh boot seed. */
  function upgradeStoreSeed(): void {
    if ((boardStore as BoardStore).upgradeSeed() === "shredded") gate.saveSeed();
  }

  function random(n: number): Uint8Array {
    return gate.randomBytes(n);
  }

  function locked(): boolean {
    return creds.failedAttempts() >= MAX_FAILED_ATTEMPTS;
  }

  function halt(e: unknown): void {
    if (phase === "halted") return;
    phase = "halted";
    log("halted: " + describe(e));
    shutdown();
  }

  function guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (isPowerCut(e)) halt(e);
      else log("error: " + describe(e));
    }
  }

  function pick(f: Frame, c: Conversation): Responder {
    if (f.type === PAIR_HELLO) {
      conversationKind = "pairing";
      return pairingResponder({
        prs: prs,
        creds: creds,
        info: info,
        windowOpen: function () { return !paired && win.isOpen(); },
        entropyProblem: pairingProblem,
        random: random,
        onAttempt: function (failures: number) {
          attemptCounted = true;
          log("pairing attempt " + failures + " of " + MAX_FAILED_ATTEMPTS + " counted");
          led.show("attempt");
        },
        onIdentityGenerated: function (pub: Uint8Array) {
          audit.record(AuditEvent.KEY_GENERATED, keyDetail(KEY_KIND_IDENTITY, pub));
        },
        onPaired: function (peer: Uint8Array) {
          paired = true;
          audit.record(AuditEvent.PAIRING_OK, keyId(peer));
          log("paired: commissioner key and configuration stored");
          win.close("success");
          led.show("success");
        },
      }, c);
    }
    if (c === contender && f.type !== SESSION_HELLO)
      return fail("DEVICE_BUSY", "only a SESSION_HELLO may contend with an unconfirmed session handshake");
    if (f.type === SESSION_HELLO) {
      if (c !== contender) {
        conversationKind = "session";
        sessionConfirmed = false;
      }
      return sessionResponder({
        creds: creds,
        clock: clock,
        entropyProblem: entropyProblem,
        random: random,
        hellos: hellos,
        onHelloRead: function () {
          if (c === contender) takeSlot(c);
        },
        onAnswered: function () {
          log("session handshake answered: not open until the commissioner's first message decrypts");
        },
        onOpen: function (peer?: Uint8Array) {
          sessionConfirmed = true;
          if (contender !== null) contender.end(ERR_BUSY, "", "the session is open: the waiting link is refused");
          log("session open");
          audit.record(AuditEvent.SESSION_OPENED, peer ? keyId(peer) : undefined);
        },
        auditRead: function (from: number, max: number) {
          return audit.enabled() ? audit.read(from, max) : null;
        },
        onDecommission: decommission,
        onRotate: rotateBegin,
        onRotateConfirm: rotateConfirm,
        onRotateStorage: rotateStorage,
        onText: function (t: string) { log("text from the commissioner: " + t); },
        onRekey: function (direction: number) { audit.record(AuditEvent.SESSION_REKEYED, new Uint8Array([direction])); },
      }, c, stats);
    }
    return fail("PROTO_UNEXPECTED", frameName(f.type) + " cannot start a conversation");
  }

  function onLink(link: Link): void {
    if (phase !== "running") {
      if (phase === "resetting") link.send(encodeFrame(ERROR, encodeErrorBody(ERR_BUSY, "factory reset")));
      link.close();
      return;
    }
    // §7 "One conversation slot". A link that has sent no complete first frame holds nothing.
    if (conversation !== null && !conversation.started())
      conversation.end(ERR_BUSY, "superseded", "a link that sent no first frame gave way to a new link");
    var contends = conversation !== null && conversationKind === "session" && !sessionConfirmed;
    if (contends && contender !== null) contender.end(ERR_BUSY, "superseded", "a waiting link that sent no first frame gave way to a new link");
    if (conversation !== null && !contends) {
      // §4 BUSY: one conversation at a time.
      link.send(encodeFrame(ERROR, encodeErrorBody(ERR_BUSY, "")));
      link.close();
      log("second link refused: busy");
      return;
    }
    log(contends ? "link opened: waiting for its SESSION_HELLO (the session handshake in progress is unconfirmed)" : "link opened");
    var mine: Conversation | null = null;
    mine = startConversation(link, clock, {
      pick: pick,
      log: log,
      isFatal: isPowerCut,
      onFatal: halt,
      onEnd: function () {
        if (mine === contender) {
          contender = null;
          return;
        }
        if (conversation !== mine) return;
        conversation = null;
        var kind = conversationKind;
        conversationKind = "";
        sessionConfirmed = false;
        // A link still waiting for its first frame moves up to the free slot.
        if (contender !== null) {
          conversation = contender;
          contender = null;
        }
        if (phase !== "running") return;
        var counted = attemptCounted;
        attemptCounted = false;
        if (kind === "pairing" && !paired && counted) {
          try {
            audit.record(AuditEvent.PAIRING_FAILED, new Uint8Array([creds.failedAttempts()]));
            if (locked()) audit.record(AuditEvent.PAIRING_LOCKED);
          } catch (e) {
            if (isPowerCut(e)) return halt(e);
            throw e;
          }
        }
        if (kind === "pairing" && !paired) {
          if (locked()) {
            log("locked: " + MAX_FAILED_ATTEMPTS + " failed attempts; a factory reset (hold 10 s) is needed");
            win.close("locked");
          } else if (win.isOpen()) led.show("window");
        }
      },
    });
    if (mine.ended()) return;
    if (contends) contender = mine;
    else conversation = mine;
  }

  /** The contender's SESSION_HELLO was read: the unconfirmed handshake gives the slot to it. */
  function takeSlot(c: Conversation): void {
    contender = null;
    if (conversation !== null) conversation.end(ERR_BUSY, "superseded", "an unconfirmed session handshake gave way to a newer one");
    conversation = c;
    conversationKind = "session";
    sessionConfirmed = false;
  }

  function shortPress(heldMs: number): void {
    if (phase !== "running") return;
    if (paired) return log("short press (" + heldMs + " ms): paired; setup stays closed until a factory reset");
    if (locked()) return log("short press (" + heldMs + " ms): locked; a factory reset (hold 10 s) is needed");
    log("short press (" + heldMs + " ms)");
    win.open();
  }

  function longPress(): void {
    if (phase !== "running") return;
    phase = "resetting";
    log("long press: factory reset");
    led.show("reset");
    if (contender !== null) contender.end(ERR_BUSY, "factory reset", "factory reset");
    if (conversation !== null) conversation.end(ERR_BUSY, "factory reset", "factory reset");
    win.close("reset");
    // Without the DRBG the new key page's seed is derived (docs/lifecycle.md "Storage keys"): the
    // shred still destroys the old seed, and the store moves to a random one when the gate opens.
    if (entropyProblem() !== null) log("factory reset with the entropy gate not open: the new key page gets a root-derived seed until it opens");
    factoryReset();
  }

  function factoryReset(): void {
    auditBeforeShred(AuditEvent.FACTORY_RESET);
    creds.shred();
    gate.stop();
    paired = false;
    log("store shredded; rebooting");
    hal.reboot();
  }

  /**
   * DECOMMISSION over an authenticated session (docs/protocol.md §5): the event is audited first,
   * then the store is crypto-shredded (identity, pairing, counter, boot seed: all gone) and the
   * device is unpaired, its window closed until a press. The session answers ACK and ends.
   */
  /** ROTATE_STORAGE (docs/lifecycle.md "Storage-key rotation"): the store re-seals every record under a new key. */
  function rotateStorage(): void {
    var why = entropyProblem();
    if (why !== null) return fail(why[0], why[1]);
    var generation = creds.rotateStorageKey();
    var d = new Uint8Array(4);
    d[0] = generation >>> 24; d[1] = (generation >>> 16) & 255; d[2] = (generation >>> 8) & 255; d[3] = generation & 255;
    audit.record(AuditEvent.STORAGE_KEY_ROTATED, d);
    log("storage key rotated: every record re-sealed under key generation " + generation);
  }

  function decommission(): void {
    // With the gate not open the shred goes to a derived-seed key page, moved to a random seed
    // when the gate opens (docs/lifecycle.md "Storage keys").
    log("decommission requested by the commissioner");
    auditBeforeShred(AuditEvent.DECOMMISSIONED);
    creds.shred();
    paired = false;
    win.close("decommissioned");
    log("decommissioned: store shredded; unpaired (press the button to open the commissioning window)");
  }

  /**
   * ROTATE_IDENTITY (docs/lifecycle.md "Identity rotation"): a new identity key from the gated DRBG,
   * stored as "id.next" beside the current one, which stays the identity (sessions go on with it)
   * until ROTATE_CONFIRM. A repeated request returns the same pending key.
   */
  function rotateBegin(): Uint8Array {
    var cur = creds.identity();
    if (cur === null) return fail("DEVICE_STORE", "paired, but the identity key is missing from the store");
    var curPub = x25519Base(cur);
    wipe(cur);
    var pend = creds.pendingIdentity(), pub: Uint8Array;
    if (pend !== null) {
      pub = x25519Base(pend);
      wipe(pend);
      // A leftover of a confirmed rotation cut short before its clean-up: not pending any more.
      if (!ctEqual(pub, curPub)) return pub;
      creds.clearPendingIdentity();
    }
    var why = entropyProblem();
    if (why !== null) return fail(why[0], why[1]);
    pend = random(32);
    try {
      creds.savePendingIdentity(pend);
      var back = creds.pendingIdentity(), kept = back !== null && ctEqual(back, pend);
      if (back !== null) wipe(back);
      if (!kept) fail("DEVICE_STORE", "the new identity key was not kept by the store");
      pub = x25519Base(pend);
    } finally {
      wipe(pend);
    }
    audit.record(AuditEvent.IDENTITY_ROTATION_BEGIN, keyId(pub));
    log("identity rotation: new key generated, pending confirmation");
    return pub;
  }

  /**
   * ROTATE_CONFIRM: the pending key becomes "id" (one record write: a power cut leaves the old
   * identity or the new, never neither), then "id.next" goes, then the storage key rotates: the
   * old identity's record, superseded but still sealed under the current storage key, is erased
   * with every other page of that key, so a flash dump (with the device secret) cannot recover the
   * key the audit calls destroyed. A confirm for the key that already is the identity is answered
   * again (its ACK may have been lost) and rotates the storage key again: a power cut before the
   * first rotation must not leave the old key behind.
   */
  function rotateConfirm(pub: Uint8Array): void {
    var why = entropyProblem();
    if (why !== null) return fail(why[0], why[1]);
    var cur = creds.identity();
    if (cur === null) return fail("DEVICE_STORE", "paired, but the identity key is missing from the store");
    var curPub = x25519Base(cur);
    wipe(cur);
    var pend = creds.pendingIdentity();
    if (pend === null) {
      if (ctEqual(curPub, pub)) return rotateStorage();
      return fail("PROTO_UNEXPECTED", "ROTATE_CONFIRM without a rotation in progress");
    }
    try {
      var pendPub = x25519Base(pend);
      if (ctEqual(curPub, pendPub)) {
        creds.clearPendingIdentity();
        if (ctEqual(curPub, pub)) return;
        return fail("PROTO_UNEXPECTED", "ROTATE_CONFIRM without a rotation in progress");
      }
      if (!ctEqual(pendPub, pub)) return fail("PROTO_UNEXPECTED", "ROTATE_CONFIRM for a key that is not the pending one");
      creds.saveIdentity(pend);
    } finally {
      wipe(pend);
    }
    creds.clearPendingIdentity();
    audit.record(AuditEvent.IDENTITY_ROTATED, keyId(pub));
    rotateStorage();
    audit.record(AuditEvent.KEY_DESTROYED, keyDetail(KEY_KIND_IDENTITY, curPub));
    log("identity rotation: confirmed; the old identity key is destroyed");
  }

  function shutdown(): void {
    if (contender !== null) contender.end(0, "", "device stopped");
    if (conversation !== null) {
      var c = conversation;
      conversation = null;
      c.end(0, "", "device stopped");
    }
    presses.stop();
    gate.stop();
    win.close("stopped");
    led.stop();
    wipe(prs);
    audit.close();
  }

  presses = watchPresses(hal.button, clock, {
    short: function (ms: number) { guard(function () { shortPress(ms); }); },
    long: function () { guard(longPress); },
  });
  gate.onReady(function () {
    gateOpen = true;
    log("entropy gate open: " + gate.status().credited + " bits credited");
    guard(function () { audit.record(AuditEvent.ENTROPY_READY, u16(Math.min(0xffff, gate.status().credited))); });
    if (boardStore !== null && phase === "running") guard(upgradeStoreSeed);
  });
  gate.onFailure(function (e: GateError) {
    gateOpen = false;
    log("entropy gate failed: " + e.code + ": " + e.message);
    var which = e.test === "repetition-count" ? 1 : e.test === "adaptive-proportion" ? 2 : 3;
    guard(function () { audit.record(AuditEvent.ENTROPY_FAILED, new Uint8Array([which])); });
  });
  gate.onAlarm(function (a: GateAlarm) {
    log("entropy health alarm " + a.count + " on " + a.source + ": " + a.test + (a.fatal ? "; the gate fails" : "; re-testing the source (a second alarm this boot fails the gate)"));
    var which = a.test === "repetition-count" ? 1 : 2;
    guard(function () { audit.record(AuditEvent.ENTROPY_ALARM, new Uint8Array([which, Math.min(255, a.count), a.sourceIndex])); });
  });
  hal.onLink(function (link: Link) { guard(function () { onLink(link); }); });
  gate.start();
  log("device started: " + (paired ? "paired" : locked() ? "unpaired, locked after " + MAX_FAILED_ATTEMPTS + " failed pairing attempts; a factory reset (hold the button 10 s) is needed" : "unpaired; press the button to open the commissioning window"));

  function state(): string {
    if (phase !== "running") return phase;
    if (gate.status().state === "failed") return "entropy-failed";
    if (conversation !== null && conversationKind !== "") return conversationKind;
    if (paired) return "paired";
    if (locked()) return "locked";
    return win.isOpen() ? "window-open" : "unpaired";
  }

  return {
    state: state,
    stop: function (): void {
      if (phase === "stopped") return;
      var was = phase;
      phase = "stopped";
      if (was !== "halted") shutdown();
    },
    status: function (): DeviceStatus {
      var g = gate.status();
      return {
        state: state(),
        paired: paired,
        failedAttempts: creds.failedAttempts(),
        windowRemainingMs: win.remainingMs(),
        entropy: { state: g.state, credited: g.credited, needed: g.needed },
        session: { received: stats.received, sent: stats.sent, rekeysSent: stats.rekeysSent, rekeysReceived: stats.rekeysReceived },
      };
    },
    identityPublicKey: function (): Uint8Array | null {
      var id = creds.identity();
      if (id === null) return null;
      var pub = x25519Base(id);
      wipe(id);
      return pub;
    },
  };
}
