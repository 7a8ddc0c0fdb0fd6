/**
 * One conversation over one link (docs/protocol.md §1): frames reassembled from the link's chunks,
 * one step deadline at a time, and the one way every conversation ends: an ERROR frame when one is
 * owed and the link still works, the link closed, the responder's secrets wiped (its `onEnd`),
 * and the device back in the state it was in before (the caller's `onEnd`).
 *
 * The first frame picks the responder (pairing or session); after that every frame goes to it. A
 * responder throws a FirstlightError to end the conversation; errorFrameFor() maps its code to the
 * ERROR frame of §4.
 */
import type { Clock } from "../../hal/clock";
import { fail } from "../errors";
import type { Link } from "../../hal/link";
import {
  createFrameDecoder, encodeErrorBody, encodeFrame, frameName, type Frame,
  ERROR, ERR_BAD_SHARE, ERR_BUSY, ERR_PROTOCOL, ERR_TIMEOUT,
} from "./frames";

/** Frames held while a split-phase step runs; more waiting behind one is a peer not waiting for answers. */
export var MAX_QUEUED = 4;
/**
 * Before the first complete frame (§6). Short: a commissioner sends its first frame as soon as it
 * connects, and until then the link holds the one conversation slot (docs/protocol.md §7).
 */
export var FIRST_FRAME_MS = 5000;

export interface Conversation {
  send(type: number, body: Uint8Array): void;
  /** Ends the conversation: ERROR `code` with `detail` first unless code is 0. Idempotent. */
  end(code: number, detail: string, why: string): void;
  /** (Re)arms the step deadline: after `ms` of waiting for the peer, ERROR TIMEOUT and the end (PROTO_TIMEOUT); it restarts while a split-phase step of ours is still running. */
  deadline(ms: number, what: string): void;
  ended(): boolean;
  /** A first frame picked a responder (until then the link has sent no complete valid frame). */
  started(): boolean;
  log(line: string): void;
  /**
   * Runs `fn` on a later clock tick (split-phase work): the event loop, the link and the watchdog
   * get a turn between the X25519s of one handshake step. Frames that arrive meanwhile wait; a
   * throw from `fn` ends the conversation as a throw from onFrame does.
   */
  later(fn: () => void): void;
}

export interface Responder {
  /** Handles one frame; throws a FirstlightError to end the conversation with the mapped ERROR. */
  onFrame(f: Frame): void;
  /** Called exactly once when the conversation ends, however it ends: wipe everything. */
  onEnd(why: string): void;
}

export interface ConversationHooks {
  /** Picks the responder for the first frame (or throws, e.g. PROTO_UNEXPECTED). */
  pick(f: Frame, c: Conversation): Responder;
  log(line: string): void;
  /** After the conversation ended and its responder wiped its secrets. */
  onEnd(why: string): void;
  /** A failure that is not an error of the peer (a simulated power cut): stop at once, say nothing. */
  isFatal(e: unknown): boolean;
  onFatal(e: unknown): void;
}

interface CodedError {
  code?: string;
  message?: string;
}

/** The ERROR frame (§4) owed for a local failure: [code, detail]. */
export function errorFrameFor(e: unknown): [number, string] {
  var code = typeof e === "object" && e !== null && typeof (e as CodedError).code === "string" ? (e as CodedError).code as string : "";
  if (code === "PROTO_BAD_SHARE" || code === "PROTO_BAD_KEY") return [ERR_BAD_SHARE, code];
  if (code === "PROTO_TIMEOUT") return [ERR_TIMEOUT, code];
  if (code.substring(0, 6) === "PROTO_") return [ERR_PROTOCOL, code];
  // The device's own trouble (entropy not ready, store failed): not the peer's fault, try later.
  if (code !== "") return [ERR_BUSY, code];
  return [ERR_BUSY, "DEVICE_INTERNAL"];
}

export function describe(e: unknown): string {
  var m = typeof e === "object" && e !== null ? (e as CodedError).message : undefined;
  return typeof m === "string" ? m : String(e);
}

export function startConversation(link: Link, clock: Clock, hooks: ConversationHooks): Conversation {
  var decoder = createFrameDecoder();
  var responder: Responder | null = null;
  var done = false, timer = -1, busy = 0, picked = false;
  var queued: Frame[] = [];

  function cancelTimer(): void {
    if (timer >= 0) clock.cancel(timer);
    timer = -1;
  }

  function finish(why: string): void {
    cancelTimer();
    var r = responder;
    responder = null;
    if (r) {
      try {
        r.onEnd(why);
      } catch (e) {
        if (hooks.isFatal(e)) {
          hooks.onFatal(e);
          return;
        }
      }
    }
    hooks.onEnd(why);
  }

  var c: Conversation = {
    send: function (type: number, body: Uint8Array): void {
      if (done) return;
      var err = link.send(encodeFrame(type, body));
      if (err !== null) {
        // The peer is gone; nothing more can be said.
        done = true;
        link.close();
        finish("link " + err);
      }
    },
    end: function (code: number, detail: string, why: string): void {
      if (done) return;
      if (code !== 0) {
        link.send(encodeFrame(ERROR, encodeErrorBody(code, detail)));
        hooks.log("conversation ends: ERROR " + code + (typeof detail === "string" && detail !== "" ? " " + detail : "") + " (" + why + ")");
      } else hooks.log("conversation ends: " + why);
      done = true;
      link.close();
      finish(why);
    },
    deadline: function (ms: number, what: string): void {
      if (done) return;
      cancelTimer();
      timer = clock.after(ms, function () {
        timer = -1;
        // The deadline times the peer, not us: while one of our split-phase steps is still
        // running (a slow engine's X25519s), it starts again.
        if (busy > 0) {
          c.deadline(ms, what);
          return;
        }
        var partial = decoder.partial() ? "a frame still incomplete" : "no frame";
        c.end(ERR_TIMEOUT, "PROTO_TIMEOUT", partial + " after " + ms + " ms waiting for " + what);
      });
    },
    ended: function (): boolean {
      return done;
    },
    started: function (): boolean {
      return picked;
    },
    log: hooks.log,
    later: function (fn: () => void): void {
      if (done) return;
      busy++;
      clock.after(0, function () {
        busy--;
        if (done) return;
        try {
          fn();
        } catch (e) {
          fault(e);
        }
        drain();
      });
    },
  };

  function fault(e: unknown): void {
    if (hooks.isFatal(e)) {
      done = true;
      cancelTimer();
      hooks.onFatal(e);
      return;
    }
    var f = errorFrameFor(e);
    c.end(f[0], f[1], describe(e));
  }

  function onFrame(f: Frame): void {
    if (f.type === ERROR) {
      // §4: unauthenticated; it ends the conversation and changes nothing stored.
      c.end(0, "", "peer sent ERROR " + f.body[0]);
      return;
    }
    if (responder === null) {
      responder = hooks.pick(f, c);
      picked = true;
    }
    if (done) return;
    responder.onFrame(f);
  }

  /** Hands queued frames to the responder while it is not in the middle of a split-phase step. */
  function drain(): void {
    while (!done && busy === 0 && queued.length > 0) {
      var f = queued.shift() as Frame;
      try {
        onFrame(f);
      } catch (e) {
        fault(e);
      }
    }
  }

  link.onReceive(function (chunk: Uint8Array): void {
    if (done) return;
    var frames: Frame[];
    try {
      frames = decoder.push(chunk);
    } catch (e) {
      fault(e);
      return;
    }
    for (var i = 0; i < frames.length; i++) queued.push(frames[i]);
    // Frames go to the responder at once unless a split-phase step runs; only what is left
    // waiting behind one counts against the limit. Only handshake steps are split-phase, and no
    // peer needs to run ahead of one by this much.
    drain();
    if (!done && queued.length > MAX_QUEUED) {
      queued = [];
      try {
        fail("PROTO_UNEXPECTED", "more than " + MAX_QUEUED + " frames sent ahead of the device's answer");
      } catch (e) {
        fault(e);
      }
    }
  });
  link.onClose(function (): void {
    if (done) return;
    done = true;
    hooks.log("conversation ends: the link closed");
    finish("link closed");
  });
  c.deadline(FIRST_FRAME_MS, "the first frame");
  return c;
}

export { frameName };
