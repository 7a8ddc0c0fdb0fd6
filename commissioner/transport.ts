/**
 * Frame transports on Node: a TCP socket for `tcp://host:port`, or an in-memory pipe for tests,
 * each a ByteLink under the portable LinkFrameTransport of frame-transport.ts (re-exported here, so
 * Node code imports every transport from this one file; the browser bundle never imports it).
 */
import net from "node:net";
import { CommissionerError } from "./errors.ts";
import { LinkFrameTransport, TIMEOUTS, type ByteLink, type FrameTransport } from "./frame-transport.ts";

export * from "./frame-transport.ts";

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
