/**
 * Host-only: the simulator's WebSocket bridge. Each WebSocket connection becomes one Link of the
 * simulated device, as a TCP connection does (tcp-link.node.ts): every binary message carries a
 * chunk of the byte stream (framing is the protocol's job, docs/protocol.md §1), in order, split
 * anywhere. A text message is not bytes: the connection is closed with 1003 (unsupported data).
 *
 * Any web page the browser shows may open a WebSocket to a loopback port, so connections whose
 * Origin is not a loopback page (http://127.0.0.1, http://localhost, http://[::1], any port) are
 * refused with 403; clients without an Origin (Node, the CLI tools) are let in. The device's
 * protocol does not rely on this: pairing needs the setup code, sessions the paired key.
 */
import { WebSocketServer, type WebSocket } from "ws";
import type { HalError } from "../errors.ts";
import type { Link } from "../link.ts";

/** A WebSocket message is at most this many bytes (a frame is at most 1028; chunks may hold several). */
export const WS_MAX_MESSAGE = 64 * 1024;

export function loopbackOrigin(origin: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === "http:" || u.protocol === "https:") && (u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "[::1]");
  } catch {
    return false;
  }
}

export function wsLink(ws: WebSocket): Link {
  let closed = false;
  let closeHandler: (() => void) | null = null;
  let receive: ((chunk: Uint8Array) => void) | null = null;
  ws.binaryType = "nodebuffer";
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      ws.close(1003, "binary messages only");
      return;
    }
    receive?.(new Uint8Array(data.buffer, data.byteOffset, data.length));
  });
  ws.on("close", () => {
    if (closed) return;
    closed = true;
    closeHandler?.();
  });
  ws.on("error", () => ws.terminate());
  return {
    send(bytes: Uint8Array): HalError | null {
      if (closed || ws.readyState !== ws.OPEN) return "CLOSED";
      ws.send(Buffer.from(bytes), { binary: true });
      return null;
    },
    onReceive(handler: (chunk: Uint8Array) => void): void {
      receive = handler;
    },
    onClose(handler: () => void): void {
      closeHandler = handler;
    },
    close(): void {
      if (closed) return;
      ws.close(1000, "closed by the device");
    },
  };
}

export interface WsLinkServer {
  port: number;
  close(): Promise<void>;
}

/** Listens for WebSockets on `host:port` (port 0 = any free port) and hands every connection to `onLink` as a Link. */
export function listenWsLinks(port: number, host: string, onLink: (link: Link) => void): Promise<WsLinkServer> {
  const server = new WebSocketServer({
    host,
    port,
    maxPayload: WS_MAX_MESSAGE,
    verifyClient: (info: { origin?: string }, done: (ok: boolean, status?: number, message?: string) => void) =>
      loopbackOrigin(info.origin || undefined) ? done(true) : done(false, 403, "only pages on a loopback address may use this bridge"),
  });
  server.on("connection", (ws) => onLink(wsLink(ws)));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      const addr = server.address();
      resolve({
        port: typeof addr === "object" && addr ? addr.port : port,
        close: () =>
          new Promise<void>((r) => {
            for (const c of server.clients) c.terminate();
            server.close(() => r());
          }),
      });
    });
  });
}
