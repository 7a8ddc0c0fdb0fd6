/** commissioner/frame-transport.ts: what a peer can make the commissioner hold. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeFrame, FRAME } from "../../commissioner/framing.ts";
import { LinkFrameTransport, MAX_UNREAD_FRAMES, type ByteLink } from "../../commissioner/frame-transport.ts";

function fakeLink(): ByteLink & { feed(b: Uint8Array): void; destroyed: boolean } {
  let data: (c: Uint8Array) => void = () => {};
  let close: (err?: Error) => void = () => {};
  const l = {
    destroyed: false,
    write: async () => {},
    onData: (cb: (c: Uint8Array) => void) => (data = cb),
    onClose: (cb: (err?: Error) => void) => (close = cb),
    destroy: () => {
      l.destroyed = true;
      close();
    },
    feed: (b: Uint8Array) => data(b),
  };
  return l;
}

test("frame transport: a peer that floods frames nobody asked for is cut off, not buffered without end", async () => {
  const link = fakeLink();
  const t = new LinkFrameTransport(link, "test");
  const frame = encodeFrame(FRAME.DATA, new Uint8Array(1024));
  // 10 000 frames of 1 KB in one burst: 10 MB the commissioner would hold for a peer it never reads.
  for (let i = 0; i < 10_000 && !link.destroyed; i++) link.feed(frame);
  assert.ok(link.destroyed, "the link is closed once too many frames wait unread");
  // The frames that fit are still handed out in order, then the reason.
  for (let i = 0; i < MAX_UNREAD_FRAMES; i++) assert.equal((await t.receive(1000)).type, FRAME.DATA);
  await assert.rejects(t.receive(1000), (e: { code: string; message: string }) => e.code === "PROTO_UNEXPECTED" && /unread/.test(e.message));
});

test("frame transport: a few frames ahead of the reader (REKEY then DATA, an ERROR behind them) are kept", async () => {
  const link = fakeLink();
  const t = new LinkFrameTransport(link, "test");
  link.feed(encodeFrame(FRAME.REKEY, new Uint8Array(24)));
  link.feed(encodeFrame(FRAME.DATA, new Uint8Array(30)));
  link.feed(encodeFrame(FRAME.ERROR, Uint8Array.of(9)));
  assert.equal(link.destroyed, false);
  assert.deepEqual([(await t.receive(100)).type, (await t.receive(100)).type, (await t.receive(100)).type], [FRAME.REKEY, FRAME.DATA, FRAME.ERROR]);
});
