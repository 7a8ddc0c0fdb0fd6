/**
 * A Link over an Espruino serial-like device (Serial1, Bluetooth NUS, USB): bytes go out through
 * `write` (which takes a Uint8Array as is), and 'data' strings come back as bytes via
 * E.toUint8Array. One 'data' listener per link, removed on close. The device itself has no close:
 * `disconnect` (e.g. NRF.disconnect) ends the session from our side, and the board calls
 * `peerClosed()` when the transport reports the peer gone. ES5.
 */
import type { HalError } from "../errors";
import type { Link } from "../link";
import type { EspruinoEnv, EspruinoSerial } from "./espruino-globals";

export interface EspruinoLink extends Link {
  /** The transport reported a disconnect. */
  peerClosed(): void;
}

export function espruinoLink(env: EspruinoEnv, device: EspruinoSerial, disconnect?: () => void): EspruinoLink {
  var receiver: ((chunk: Uint8Array) => void) | null = null;
  var closeHandler: (() => void) | null = null;
  var closed = false;
  var held = "";
  function onData(s: string): void {
    if (closed) return;
    if (receiver) receiver(env.E.toUint8Array(s));
    else held += s;
  }
  function finish(): void {
    if (closed) return;
    closed = true;
    held = "";
    device.removeListener("data", onData);
    if (closeHandler) closeHandler();
  }
  device.on("data", onData);
  return {
    send: function (bytes: Uint8Array): HalError | null {
      if (closed) return "CLOSED";
      device.write(bytes);
      return null;
    },
    onReceive: function (handler: (chunk: Uint8Array) => void): void {
      receiver = handler;
      if (held.length) {
        var s = held;
        held = "";
        handler(env.E.toUint8Array(s));
      }
    },
    onClose: function (handler: () => void): void {
      closeHandler = handler;
    },
    close: function (): void {
      if (closed) return;
      if (disconnect) disconnect();
      finish();
    },
    peerClosed: finish,
  };
}
