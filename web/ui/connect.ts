/**
 * From the transport a person picked to a connected FrameTransport: a WebSocket bridge address,
 * a serial port or a Bluetooth device (both asked for through the browser's chooser on first
 * use, then kept for this page's life so a session after pairing does not ask again).
 */
import { CommissionerError } from "../../commissioner/errors.ts";
import { LinkFrameTransport, TIMEOUTS, type FrameTransport } from "../../commissioner/frame-transport.ts";
import { openBluetoothLink, NUS_REQUEST, type BluetoothDeviceLike } from "../links/bluetooth.ts";
import { openSerialLink, type SerialPortLike } from "../links/serial.ts";
import { openWebSocketLink, type WebSocketLike } from "../links/websocket.ts";

export type TransportKind = "websocket" | "serial" | "bluetooth";

let serialPort: SerialPortLike | null = null;
let bleDevice: BluetoothDeviceLike | null = null;

interface WebNavigator {
  serial?: { requestPort(): Promise<SerialPortLike> };
  bluetooth?: { requestDevice(o: unknown): Promise<BluetoothDeviceLike> };
}

function unsupported(what: string): CommissionerError {
  return new CommissionerError("NO_SUPPORT", `this browser has no ${what} (Chrome or Edge on desktop have it; the page must be on https or localhost)`);
}

/** The browser's chooser: closing it is CANCELLED. */
async function chosen<T>(p: Promise<T>, what: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw new CommissionerError("CANCELLED", what + ": " + (e as Error).message);
  }
}

/** Forgets the chosen port or device (the next connect asks again). */
export function forgetChoice(): void {
  serialPort = null;
  bleDevice = null;
}

export async function connect(kind: TransportKind, wsUrl: string): Promise<FrameTransport> {
  const nav = navigator as unknown as WebNavigator;
  if (kind === "websocket") {
    const link = await openWebSocketLink(wsUrl, (u) => new WebSocket(u) as unknown as WebSocketLike, TIMEOUTS.connect);
    return new LinkFrameTransport(link, wsUrl.trim());
  }
  if (kind === "serial") {
    if (!nav.serial) throw unsupported("Web Serial");
    const port: SerialPortLike = serialPort ?? (await chosen(nav.serial.requestPort(), "no serial port chosen"));
    serialPort = port;
    return new LinkFrameTransport(await openSerialLink(port), "serial");
  }
  if (!nav.bluetooth) throw unsupported("Web Bluetooth");
  const device: BluetoothDeviceLike = bleDevice ?? (await chosen(nav.bluetooth.requestDevice(NUS_REQUEST), "no Bluetooth device chosen"));
  bleDevice = device;
  return new LinkFrameTransport(await openBluetoothLink(device), "bluetooth:" + (device.name ?? "device"));
}
