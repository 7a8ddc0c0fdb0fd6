/**
 * Frame transports: a byte link (a TCP socket for `tcp://host:port`, or an in-memory pipe for tests)
 * with the frame decoder of framing.ts in front of it. Every receive has a step timeout
 * (docs/protocol.md §6); a timeout, a framing error or a closed link ends the conversation.
 */
import net from "node:net";
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
  /** Opening the TCP connection. */
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

type Waiter = { resolve: (f: Frame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

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

// ---------------------------------------------------------------------------------------------
// TCP

export function parseDeviceUrl(url: string): { host: string; port: number } {
  const m = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[^:/\s]+):(\d{1,5})\/?$/.exec(url);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new CommissionerError("LINK_BAD_ADDRESS", "device address must look like tcp://HOST:PORT, got " + JSON.stringify(url));
  }
  return { host: m[1].replace(/^\[|\]$/g, ""), port };
}

function socketLink(sock: net.Socket): ByteLink {
  return {
    write: (bytes) => new Promise((resolve, reject) => sock.write(bytes, (err) => (err ? reject(new CommissionerError("LINK_CLOSED", "write failed: " + err.message)) : resolve()))),
    onData: (cb) => sock.on("data", (b: Buffer) => cb(new Uint8Array(b.buffer, b.byteOffset, b.length))),
    onClose: (cb) => {
      let err: Error | undefined;
      sock.on("error", (e) => (err = e));
      sock.on("close", () => cb(err));
    },
    destroy: () => sock.destroy(),
  };
}

/** Wraps an already connected socket (the test device's side uses this too). */
export function socketTransport(sock: net.Socket, peer: string): FrameTransport {
  sock.setNoDelay(true);
  return new LinkFrameTransport(socketLink(sock), peer);
}

export async function connectTcp(url: string, timeoutMs = TIMEOUTS.connect): Promise<FrameTransport> {
  const { host, port } = parseDeviceUrl(url);
  return await new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new CommissionerError("LINK_TIMEOUT", "no connection to " + url + " after " + timeoutMs / 1000 + " s"));
    }, timeoutMs);
    sock.once("connect", () => {
      clearTimeout(timer);
      sock.removeAllListeners("error");
      resolve(socketTransport(sock, url));
    });
    sock.once("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      sock.destroy();
      if (e.code === "ECONNREFUSED") reject(new CommissionerError("LINK_REFUSED", "connection refused by " + host + ":" + port + ": is the device (or simulator) listening there?"));
      else if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN") reject(new CommissionerError("LINK_UNREACHABLE", "unknown host " + host));
      else reject(new CommissionerError("LINK_UNREACHABLE", "cannot connect to " + url + ": " + e.message));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// In memory

export interface MemoryPairOptions {
  /** Splits each write into the chunks that arrive (default: one chunk); tests use it to fragment frames. */
  chunker?: (bytes: Uint8Array) => Uint8Array[];
}

/** One end of an in-memory transport; writeRaw sends bytes past the frame encoder (to inject malformed input). */
export interface MemoryEnd extends FrameTransport {
  writeRaw(bytes: Uint8Array): Promise<void>;
}

class MemoryLink implements ByteLink {
  other!: MemoryLink;
  private dataCb: (c: Uint8Array) => void = () => {};
  private closeCb: (err?: Error) => void = () => {};
  private gone = false;

  constructor(private o: MemoryPairOptions) {}

  onData(cb: (c: Uint8Array) => void): void {
    this.dataCb = cb;
  }

  onClose(cb: (err?: Error) => void): void {
    this.closeCb = cb;
  }

  /** Bytes arrive a macrotask later, as over a socket. */
  write(bytes: Uint8Array): Promise<void> {
    if (this.gone) return Promise.reject(new CommissionerError("LINK_CLOSED", "the link is closed"));
    const chunks = this.o.chunker ? this.o.chunker(bytes) : [bytes];
    const peer = this.other;
    return new Promise((resolve) =>
      setImmediate(() => {
        for (const c of chunks) if (!peer.gone) peer.dataCb(c.slice());
        resolve();
      }),
    );
  }

  destroy(): void {
    if (this.gone) return;
    this.gone = true;
    const peer = this.other;
    // Bytes already written arrive first, as with TCP's orderly close.
    setImmediate(() => setImmediate(() => {
      if (!peer.gone) {
        peer.gone = true;
        peer.closeCb();
      }
    }));
  }
}

/** Two connected transports: [commissioner end, device end]. */
export function memoryTransportPair(o: MemoryPairOptions = {}): [MemoryEnd, MemoryEnd] {
  const la = new MemoryLink(o);
  const lb = new MemoryLink(o);
  la.other = lb;
  lb.other = la;
  const a = Object.assign(new LinkFrameTransport(la, "memory:device"), { writeRaw: (b: Uint8Array) => la.write(b) });
  const b = Object.assign(new LinkFrameTransport(lb, "memory:commissioner"), { writeRaw: (x: Uint8Array) => lb.write(x) });
  return [a, b];
}
