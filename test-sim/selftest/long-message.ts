/**
 * Long messages checked in parts (LoaderOptions.partBytes): the loader sends a message of more
 * than partBytes bytes as consecutive list items, one part each, and the suite feeds each part to
 * two streaming hashes that the runner keeps in `t.state` from piece to piece, so no piece and no
 * check ever holds the whole message. The checks are those of a whole message: one hash gets the
 * message as it comes (one update per part), the other in the uneven chunk lengths the suite
 * cycles through, exactly the updates the whole-message check makes (a chunk that straddles two
 * parts waits in `t.state` until the next part completes it). Both must give the message's digest.
 * ES5: bundled into the sha256 and sha512 suites.
 */
import type { Check } from "./runner";
import { view } from "../../firmware/crypto/bytes";

/** One part of a long message: vector `i`, bytes [at, at + part.length / 2) of `of`; `md` on the last part. */
export interface MessagePart { i: number; at: number; of: number; part: string; md?: string }

export function isPart(v: unknown): boolean {
  return typeof (v as MessagePart).part === "string";
}

/**
 * Feeds part `p` to the hashes of `t.state` (started on the message's first part) and, on its last
 * part, checks both digests. `Hash` is the streaming hash class; `chunks` the uneven lengths.
 */
export function feedPart(c: any, Hash: any, chunks: number[], p: MessagePart, t: Check, name: string): void {
  var s = t.state, b = c.fromHex(p.part), q = 0, label = name + " #" + p.i;
  if (p.at === 0) {
    s.whole = new Hash(); s.uneven = new Hash(); s.next = 0; s.k = p.i; s.chunk = null; s.fill = 0; s.vector = p.i; s.size = b.length;
  }
  if (s.vector !== p.i || s.next !== p.at) {
    t.ok(false, label + ": part at byte " + p.at + " arrived out of order");
    s.vector = -1;
    return;
  }
  s.whole.update(b);
  while (q < b.length) {
    if (s.chunk === null) {
      s.chunk = new Uint8Array(Math.min(chunks[s.k++ % chunks.length], p.of - p.at - q));
      s.fill = 0;
    }
    var n = Math.min(s.chunk.length - s.fill, b.length - q);
    s.chunk.set(view(b, q, q + n), s.fill);
    s.fill += n;
    q += n;
    if (s.fill === s.chunk.length) {
      s.uneven.update(s.chunk);
      s.chunk = null;
    }
  }
  s.next = p.at + b.length;
  if (s.next < p.of) return;
  t.eqHex(s.whole.digest(), p.md as string, label + " (" + p.of + " bytes, fed in parts of " + s.size + ")");
  t.eqHex(s.uneven.digest(), p.md as string, label + " streamed in uneven chunks");
  s.whole = s.uneven = null;
}
