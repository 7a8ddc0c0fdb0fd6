/**
 * Frame transports, the part that runs anywhere (Node and the browser bundle): a byte link with
 * the frame decoder of framing.ts in front of it. Every receive has a step timeout
 * (docs/protocol.md §6); a timeout, a framing error or a closed link ends the conversation.
 * The links themselves live beside it: TCP and in-memory pipes in transport.ts (Node), WebSocket,
 * Web Serial and Web Bluetooth in web/links/ (the browser).
 */
import { CommissionerError } from "./errors.ts";
import { encodeFrame, FrameDecoder, type Frame } from "./framing.ts";

/** Step limits of docs/protocol.md §6, in milliseconds. */
export const TIMEOUTS = {
  /** One pairing attempt, PAIR_HELLO to PAIR_CONFIRM; we also allow it for PAIR_DONE. */
  pairingStep: 60_000,
  /** A session handshake. */
  sessionHandshake: 30_000,
  /** An idle session: the longest we wait for the next message. */
  sessionIdle: 10 * 60_000,
  /** Opening the link (a TCP connection, a WebSocket, a serial port or a BLE connection). */
  connect: 10_000,
};

export interface FrameTransport {
  send(type: number, body: Uint8Array): Promise<void>;
  /** The next frame; rejects with PROTO_TIMEOUT after timeoutMs, with the decoder's PROTO_* error, or LINK_CLOSED. */
  receive(timeoutMs: number): Promise<Frame>;
  close(): void;
  readonly closed: boolean;
  /** A name for progress lines ("tcp://127.0.0.1:7000"). */
  readonly peer: string;
}

/** The byte side: whatever carries the bytes. */
export interface ByteLink {
  write(bytes: Uint8Array): Promise<void>;
  onData(cb: (chunk: Uint8Array) => void): void;
  onClose(cb: (err?: Error) => void): void;
  destroy(): void;
}

/**
 * Frames decoded but not yet asked for. A device sends one answer per request (at most a REKEY
 * before it, an ERROR after); more than this waiting unread is a peer flooding us, and the link is
 * closed rather than the frames held without end.
 */
export const MAX_UNREAD_FRAMES = 32;

type Waiter = { resolve: (f: Frame) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> };

export class LinkFrameTransport implements FrameTransport {
  private decoder = new FrameDecoder();
  private frames: Frame[] = [];
  private waiters: Waiter[] = [];
  private error: CommissionerError | null = null;
  private isClosed = false;

  constructor(private link: ByteLink, readonly peer: string) {
    link.onData((chunk) => {
      if (this.error) return;
      let got: Frame[];
      try {
        got = this.decoder.push(chunk);
      } catch (e) {
        // §1: a framing error closes the link; bytes after it are not read.
        this.fault(e as CommissionerError);
        return;
      }
      for (const f of got) this.frames.push(f);
      this.deliver();
      if (this.frames.length > MAX_UNREAD_FRAMES) {
        this.frames.length = MAX_UNREAD_FRAMES;
        this.fault(new CommissionerError("PROTO_UNEXPECTED", "more than " + MAX_UNREAD_FRAMES + " frames from " + peer + " wait unread: the peer does not wait for requests"));
      }
    });
    link.onClose((err) => {
      this.isClosed = true;
      if (!this.error) {
        this.error = new CommissionerError("LINK_CLOSED", err ? "the link to " + peer + " failed: " + err.message : "the device closed the link");
      }
      this.deliver();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private fault(e: CommissionerError): void {
    this.error = e;
    this.close();
    this.deliver();
  }

  private deliver(): void {
    while (this.waiters.length > 0 && this.frames.length > 0) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(this.frames.shift()!);
    }
    // Frames already decoded are still handed out after the link closed; then the error.
    if (this.error && this.frames.length === 0) {
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(this.error);
      }
    }
  }

  async send(type: number, body: Uint8Array): Promise<void> {
    if (this.isClosed) throw this.error ?? new CommissionerError("LINK_CLOSED", "the link is closed");
    await this.link.write(encodeFrame(type, body));
  }

  receive(timeoutMs: number): Promise<Frame> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          const what = this.decoder.partial ? "a frame still incomplete" : "no answer";
          reject(new CommissionerError("PROTO_TIMEOUT", what + " from " + this.peer + " after " + Math.round(timeoutMs / 100) / 10 + " s"));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (!this.error) this.error = new CommissionerError("LINK_CLOSED", "the link is closed");
    this.link.destroy();
    this.deliver();
  }
}
