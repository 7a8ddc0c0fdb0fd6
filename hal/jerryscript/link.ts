/**
 * Links over linkSend / linkOnReceive / linkOnState: every linkOnState(true) opens a new Link,
 * linkOnState(false) closes it. Bytes that arrive between connect and the firmware's onReceive
 * are held, not dropped. ES5.
 */
import type { HalError } from "../errors";
import type { Link } from "../link";
import type { FirstlightNative } from "./native";

interface Session {
  link: Link;
  deliver(chunk: Uint8Array): void;
  end(): void;
}

function session(nat: FirstlightNative): Session {
  var receiver: ((chunk: Uint8Array) => void) | null = null;
  var closeHandler: (() => void) | null = null;
  var closed = false;
  var held: Uint8Array[] = [];
  function end(): void {
    if (closed) return;
    closed = true;
    held = [];
    if (closeHandler) closeHandler();
  }
  return {
    link: {
      send: function (bytes: Uint8Array): HalError | null {
        return closed ? "CLOSED" : nat.linkSend(bytes);
      },
      onReceive: function (handler: (chunk: Uint8Array) => void): void {
        receiver = handler;
        var h = held;
        held = [];
        for (var i = 0; i < h.length; i++) handler(h[i]);
      },
      onClose: function (handler: () => void): void {
        closeHandler = handler;
      },
      close: function (): void {
        if (closed) return;
        nat.linkClose();
        end();
      },
    },
    deliver: function (chunk: Uint8Array): void {
      if (closed) return;
      if (receiver) receiver(chunk);
      else held.push(chunk);
    },
    end: end,
  };
}

/** Starts listening; each connection becomes a Link handed to `onLink`. */
export function jerryLinks(nat: FirstlightNative, onLink: (link: Link) => void): void {
  var current: Session | null = null;
  nat.linkOnReceive(function (chunk: Uint8Array) {
    if (current) current.deliver(chunk);
  });
  nat.linkOnState(function (connected: boolean) {
    if (current) current.end();
    current = null;
    if (connected) {
      current = session(nat);
      onLink(current.link);
    }
  });
}
