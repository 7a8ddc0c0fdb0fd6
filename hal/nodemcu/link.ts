/**
 * The commissioner's link over `net.createServer(net.TCP, timeout)`: one Link per accepted
 * connection (the firmware answers a second one with ERROR BUSY). NodeMCU sends one buffer at a
 * time (a second `send` before the "sent" event may be dropped), so bytes queue here and the next
 * piece (≤ SEND_CHUNK bytes) goes out on "sent". close() lets the queue drain first (an ERROR frame
 * is sent and then the link closed), then closes the socket; the link's close handler runs once,
 * on our close or on the peer's "disconnection". ES5 / Lua.
 */
import type { HalError } from "../errors";
import type { Link } from "../link";
import type { NodeMcuNet, NodeMcuSocket } from "./nodemcu-modules";
import { bytesToString, stringToBytes } from "./lua-bytes";

export var SEND_CHUNK = 1024;
/** Seconds an idle connection stays open (NodeMCU's default is 30; a session may pause longer). */
export var IDLE_TIMEOUT_S = 300;

export interface NodeMcuLinkServer {
  start(onLink: (link: Link) => void): void;
}

function socketLink(conn: NodeMcuSocket): Link {
  var queue: string[] = [], sending = false, closing = false, closed = false;
  var receiver: ((chunk: Uint8Array) => void) | null = null, closer: (() => void) | null = null;
  function finish(): void {
    if (closed) return;
    closed = true;
    queue = [];
    if (closer !== null) closer();
  }
  function pump(): void {
    if (closed) return;
    if (queue.length > 0) {
      sending = true;
      conn.send(queue.shift() as string);
      return;
    }
    sending = false;
    if (closing) {
      conn.close();
      finish();
    }
  }
  conn.on("receive", function (_s: NodeMcuSocket, data: string) {
    if (closed || receiver === null) return;
    var b = new Uint8Array(data.length);
    stringToBytes(data, b, 0);
    receiver(b);
  });
  conn.on("sent", function () {
    pump();
  });
  conn.on("disconnection", function () {
    finish();
  });
  return {
    send: function (bytes: Uint8Array): HalError | null {
      if (closed || closing) return "CLOSED";
      for (var at = 0; at < bytes.length; at += SEND_CHUNK) {
        queue.push(bytesToString(bytes, at, at + SEND_CHUNK < bytes.length ? at + SEND_CHUNK : bytes.length));
      }
      if (!sending) pump();
      return null;
    },
    onReceive: function (h: (chunk: Uint8Array) => void): void {
      receiver = h;
    },
    onClose: function (h: () => void): void {
      closer = h;
    },
    close: function (): void {
      if (closed || closing) return;
      closing = true;
      if (!sending) pump();
    },
  };
}

export function nodemcuLinkServer(net: NodeMcuNet, port: number): NodeMcuLinkServer {
  if (!(port >= 1 && port <= 65535) || port % 1 !== 0) throw new Error("link: TCP port must be 1…65535, got " + port);
  return {
    start: function (onLink: (link: Link) => void): void {
      net.createServer(net.TCP, IDLE_TIMEOUT_S).listen(port, function (conn: NodeMcuSocket) {
        onLink(socketLink(conn));
      });
    },
  };
}
