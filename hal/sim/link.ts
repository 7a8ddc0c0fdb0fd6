/**
 * An in-memory duplex byte pipe: the two ends of a commissioning link inside one process. It
 * behaves like a stream transport: ordered, chunks split anywhere (fixed or seeded-random
 * sizes), optional delay on a Clock, close seen by the peer only after the bytes already in
 * flight. Delivery is never re-entrant: a handler that sends does not get called again before it
 * returns. ES5.
 */
import type { Clock } from "../clock";
import type { HalError } from "../errors";
import type { Link } from "../link";
import { view } from "../../firmware/crypto/bytes";

export interface LinkPairOptions {
  /** Deliver on this clock after `delayMs`; without one, delivery happens at once (queued). */
  clock?: Clock;
  delayMs?: number;
  /** Split every send into chunks of at most this many bytes (default: no split). */
  maxChunk?: number;
  /** With `maxChunk`: chunk sizes drawn from 1 … maxChunk by this seed instead of fixed. */
  splitSeed?: number;
}

export interface SimLink extends Link {
  isClosed(): boolean;
  /** Bytes accepted by `send` so far. */
  bytesSent(): number;
}

interface End {
  link: SimLink;
  receiver: ((chunk: Uint8Array) => void) | null;
  closeHandler: (() => void) | null;
  closed: boolean;
  /** Chunks that arrived before a receiver was registered. */
  held: Uint8Array[];
  sent: number;
}

export function createLinkPair(opts?: LinkPairOptions): [SimLink, SimLink] {
  var o = opts || {};
  var clock = o.clock || null, delay = o.delayMs || 0, maxChunk = o.maxChunk || 0;
  var seed = (o.splitSeed || 0) >>> 0;
  var queue: (() => void)[] = [], draining = false;

  function schedule(fn: () => void): void {
    if (clock) {
      clock.after(delay, fn);
      return;
    }
    queue.push(fn);
    if (draining) return;
    draining = true;
    try {
      while (queue.length) (queue.shift() as () => void)();
    } finally {
      draining = false;
    }
  }

  function nextSize(left: number): number {
    if (!maxChunk) return left;
    var n = maxChunk;
    if (seed) {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      seed >>>= 0;
      n = 1 + (seed % maxChunk);
    }
    return n < left ? n : left;
  }

  function arrive(to: End, chunk: Uint8Array): void {
    if (to.closed) return;
    if (to.receiver) to.receiver(chunk);
    else to.held.push(chunk);
  }

  function shut(e: End): void {
    if (e.closed) return;
    e.closed = true;
    e.held = [];
    if (e.closeHandler) e.closeHandler();
  }

  function makeEnd(): End {
    var e: End = { link: null as unknown as SimLink, receiver: null, closeHandler: null, closed: false, held: [], sent: 0 };
    return e;
  }

  var a = makeEnd(), b = makeEnd();

  function bind(self: End, peer: End): SimLink {
    return {
      send: function (bytes: Uint8Array): HalError | null {
        if (self.closed) return "CLOSED";
        var n = bytes.length;
        self.sent += n;
        for (var off = 0; off < n; ) {
          var k = nextSize(n - off);
          var chunk = new Uint8Array(k);
          chunk.set(view(bytes, off, off + k));
          off += k;
          (function (c: Uint8Array) {
            schedule(function () {
              arrive(peer, c);
            });
          })(chunk);
        }
        return null;
      },
      onReceive: function (handler: (chunk: Uint8Array) => void): void {
        self.receiver = handler;
        var held = self.held;
        self.held = [];
        for (var i = 0; i < held.length; i++) handler(held[i]);
      },
      onClose: function (handler: () => void): void {
        self.closeHandler = handler;
      },
      close: function (): void {
        if (self.closed) return;
        shut(self);
        schedule(function () {
          shut(peer);
        });
      },
      isClosed: function (): boolean {
        return self.closed;
      },
      bytesSent: function (): number {
        return self.sent;
      },
    };
  }

  a.link = bind(a, b);
  b.link = bind(b, a);
  return [a.link, b.link];
}
