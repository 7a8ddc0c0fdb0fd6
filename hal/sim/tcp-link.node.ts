/**
 * Host-only: a Link over a Node TCP socket (the simulator listens on loopback; the commissioner
 * connects). Bytes are copied on send because the firmware may wipe its buffer right after.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import type { HalError } from "../errors.ts";
import type { Link } from "../link.ts";

export function tcpLink(socket: Socket): Link {
  let closed = false;
  let closeHandler: (() => void) | null = null;
  socket.setNoDelay(true);
  const finish = () => {
    if (closed) return;
    closed = true;
    closeHandler?.();
  };
  socket.on("close", finish);
  socket.on("end", () => socket.end());
  socket.on("error", () => socket.destroy());
  return {
    send(bytes: Uint8Array): HalError | null {
      if (closed || socket.destroyed || !socket.writable) return "CLOSED";
      socket.write(Buffer.from(bytes));
      return null;
    },
    onReceive(handler: (chunk: Uint8Array) => void): void {
      socket.removeAllListeners("data");
      socket.on("data", (b: Buffer) => handler(new Uint8Array(b.buffer, b.byteOffset, b.length)));
    },
    onClose(handler: () => void): void {
      closeHandler = handler;
    },
    close(): void {
      if (closed) return;
      socket.end();
      socket.destroy();
    },
  };
}

/** Listens on `host:port` (port 0 = any free port) and hands every connection to `onLink` as a Link. */
export function listenTcpLinks(port: number, host: string, onLink: (link: Link) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => onLink(tcpLink(socket)));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === "object" && addr ? addr.port : port });
    });
  });
}

/** Connects to `host:port` and resolves with the Link once connected. */
export function connectTcpLink(port: number, host: string): Promise<Link> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(tcpLink(socket));
    });
  });
}
