/**
 * A ByteLink over a WebSocket (the simulator's bridge, `npm start -- --serve`, or a bridge to a
 * Wi-Fi board): every binary message is a chunk of the byte stream, in order, split anywhere
 * (hal/sim/ws-link.node.ts is the other end). Takes the WebSocket constructor, so the same code
 * runs on the browser's WebSocket and, in the tests, on the `ws` package's.
 */
import { CommissionerError } from "../../commissioner/errors.ts";
import type { ByteLink } from "../../commissioner/frame-transport.ts";

/** The part of the WebSocket API used here (the browser's, and the `ws` package's client). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

/** Checks a bridge address: ws:// or wss://, a host and a port. Throws LINK_BAD_ADDRESS. */
export function checkWebSocketUrl(url: string): string {
  const m = /^(wss?):\/\/(\[[0-9a-fA-F:]+\]|[^:/\s]+):(\d{1,5})\/?$/.exec(url.trim());
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) throw new CommissionerError("LINK_BAD_ADDRESS", "a WebSocket bridge address looks like ws://HOST:PORT (npm start -- --serve prints it), got " + JSON.stringify(url));
  return url.trim();
}

const OPEN = 1;

/** Opens the WebSocket; resolves once it is open, rejects LINK_REFUSED / LINK_TIMEOUT. */
export function openWebSocketLink(url: string, make: WebSocketFactory, timeoutMs: number): Promise<ByteLink> {
  checkWebSocketUrl(url);
  return new Promise((resolve, reject) => {
    let ws: WebSocketLike;
    try {
      ws = make(url);
    } catch (e) {
      reject(new CommissionerError("LINK_BAD_ADDRESS", "cannot open " + url + ": " + (e as Error).message));
      return;
    }
    ws.binaryType = "arraybuffer";
    let opened = false, gone = false;
    let dataCb: (c: Uint8Array) => void = () => {};
    let closeCb: (err?: Error) => void = () => {};
    const timer = setTimeout(() => {
      if (opened) return;
      gone = true;
      ws.close();
      reject(new CommissionerError("LINK_TIMEOUT", "no answer from " + url + " after " + timeoutMs / 1000 + " s"));
    }, timeoutMs);
    ws.onopen = () => {
      opened = true;
      clearTimeout(timer);
      resolve(link);
    };
    ws.onmessage = (ev) => {
      if (gone) return;
      if (ev.data instanceof ArrayBuffer) dataCb(new Uint8Array(ev.data));
      else if (ArrayBuffer.isView(ev.data)) dataCb(new Uint8Array(ev.data.buffer, ev.data.byteOffset, ev.data.byteLength));
      else finish(new Error("the bridge sent a text message; it carries bytes only"));
    };
    ws.onerror = () => {};
    ws.onclose = (ev) => {
      clearTimeout(timer);
      if (!opened) {
        gone = true;
        reject(new CommissionerError("LINK_REFUSED", "no WebSocket bridge answered at " + url + ": is the device (or `npm start -- --serve`) up, and is this page on a loopback address?"));
        return;
      }
      finish(ev.code === 1000 || ev.code === 1005 ? undefined : new Error("the WebSocket closed with code " + ev.code + (ev.reason ? " (" + ev.reason + ")" : "")));
    };
    function finish(err?: Error): void {
      if (gone) return;
      gone = true;
      if (ws.readyState === OPEN) ws.close(1000);
      closeCb(err);
    }
    const link: ByteLink = {
      write: async (bytes) => {
        if (gone || ws.readyState !== OPEN) throw new CommissionerError("LINK_CLOSED", "the WebSocket to " + url + " is closed");
        ws.send(bytes.slice());
      },
      onData: (cb) => (dataCb = cb),
      onClose: (cb) => (closeCb = cb),
      destroy: () => {
        if (gone) return;
        gone = true;
        ws.close(1000);
        closeCb();
      },
    };
  });
}
