/**
 * A ByteLink over Web Bluetooth: the Nordic UART Service that Espruino's nRF52 boards expose
 * (hal/espruino/boot.ts hands `Bluetooth` to the link; one BLE connection is one link). The device
 * notifies on TX, we write to RX, at most 20 bytes a write (the default ATT MTU of 23, less 3),
 * with response, one write at a time and in order. Takes the BluetoothDevice (navigator.bluetooth.requestDevice
 * in the browser, a fake in the tests: Web Bluetooth cannot run in headless Chromium).
 */
import { CommissionerError } from "../../commissioner/errors.ts";
import type { ByteLink } from "../../commissioner/frame-transport.ts";

export const NUS_SERVICE = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
/** Written by the central (us → device). */
export const NUS_RX = "6e400002-b5a3-f393-e0a9-e50e24dcca9e";
/** Notified by the peripheral (device → us). */
export const NUS_TX = "6e400003-b5a3-f393-e0a9-e50e24dcca9e";
export const BLE_CHUNK = 20;

/** What navigator.bluetooth.requestDevice is asked for. */
export const NUS_REQUEST = { filters: [{ services: [NUS_SERVICE] }, { namePrefix: "Puck.js" }, { namePrefix: "Pixl.js" }, { namePrefix: "Bangle.js" }, { namePrefix: "Espruino" }], optionalServices: [NUS_SERVICE] };

/** The parts of the Web Bluetooth API used here. */
export interface CharacteristicLike {
  startNotifications(): Promise<unknown>;
  writeValueWithResponse?(value: Uint8Array): Promise<void>;
  writeValue(value: Uint8Array): Promise<void>;
  addEventListener(type: "characteristicvaluechanged", cb: (ev: { target: { value?: DataView | null } }) => void): void;
}
export interface GattServerLike {
  readonly connected: boolean;
  connect(): Promise<GattServerLike>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<{ getCharacteristic(uuid: string): Promise<CharacteristicLike> }>;
}
export interface BluetoothDeviceLike {
  readonly name?: string;
  readonly gatt?: GattServerLike;
  addEventListener(type: "gattserverdisconnected", cb: () => void): void;
}

export async function openBluetoothLink(device: BluetoothDeviceLike): Promise<ByteLink> {
  if (!device.gatt) throw new CommissionerError("LINK_REFUSED", "the Bluetooth device " + (device.name ?? "") + " has no GATT server");
  let rx: CharacteristicLike, tx: CharacteristicLike, server: GattServerLike;
  try {
    server = await device.gatt.connect();
    const service = await server.getPrimaryService(NUS_SERVICE);
    rx = await service.getCharacteristic(NUS_RX);
    tx = await service.getCharacteristic(NUS_TX);
  } catch (e) {
    device.gatt.disconnect();
    throw new CommissionerError("LINK_REFUSED", "cannot reach the Nordic UART service of " + (device.name ?? "the device") + ": " + (e as Error).message);
  }
  let dataCb: (c: Uint8Array) => void = () => {};
  let closeCb: (err?: Error) => void = () => {};
  let gone = false;
  let queue: Promise<void> = Promise.resolve();
  tx.addEventListener("characteristicvaluechanged", (ev) => {
    const v = ev.target.value;
    if (!gone && v && v.byteLength) dataCb(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
  });
  device.addEventListener("gattserverdisconnected", () => {
    if (gone) return;
    gone = true;
    closeCb(new Error("the Bluetooth connection to " + (device.name ?? "the device") + " dropped"));
  });
  await tx.startNotifications();
  // With response: the device's acknowledgement paces us, so no write outruns its buffers.
  const writeChunk = (c: Uint8Array) => (rx.writeValueWithResponse ? rx.writeValueWithResponse(c) : rx.writeValue(c));
  return {
    write: (bytes) => {
      if (gone) return Promise.reject(new CommissionerError("LINK_CLOSED", "the Bluetooth link is closed"));
      const copy = bytes.slice();
      // One write at a time, in order: a GATT write while another is pending fails in Chrome.
      const run = queue.then(async () => {
        for (let i = 0; i < copy.length; i += BLE_CHUNK) {
          if (gone) throw new CommissionerError("LINK_CLOSED", "the Bluetooth link closed while writing");
          await writeChunk(copy.subarray(i, i + BLE_CHUNK));
        }
      });
      queue = run.catch(() => {});
      return run.catch((e) => {
        throw e instanceof CommissionerError ? e : new CommissionerError("LINK_CLOSED", "a Bluetooth write failed: " + (e as Error).message);
      });
    },
    onData: (cb) => (dataCb = cb),
    onClose: (cb) => (closeCb = cb),
    destroy: () => {
      if (gone) return;
      gone = true;
      server.disconnect();
      closeCb();
    },
  };
}
