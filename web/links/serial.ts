/**
 * A ByteLink over Web Serial (a USB board: the device's UART link, hal/espruino/link.ts, carries
 * the frames as raw bytes). Takes the port object (navigator.serial.requestPort() in the browser,
 * a fake in the tests: Web Serial cannot run in headless Chromium), so the read loop, the writes
 * and the close are tested against the same interface the browser gives.
 */
import { CommissionerError } from "../../commissioner/errors.ts";
import type { ByteLink } from "../../commissioner/frame-transport.ts";

/** The part of the Web Serial SerialPort used here. */
export interface SerialPortLike {
  open(o: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
}

export const SERIAL_BAUD = 115200;

/** Opens the port and starts reading; the link closes when the port's stream ends or fails (unplugged). */
export async function openSerialLink(port: SerialPortLike, baudRate = SERIAL_BAUD): Promise<ByteLink> {
  try {
    await port.open({ baudRate });
  } catch (e) {
    throw new CommissionerError("LINK_REFUSED", "cannot open the serial port: " + (e as Error).message + " (is another program, e.g. the Espruino IDE, using it?)");
  }
  if (!port.readable || !port.writable) {
    await port.close().catch(() => {});
    throw new CommissionerError("LINK_REFUSED", "the serial port opened without streams");
  }
  const reader = port.readable.getReader();
  const writer = port.writable.getWriter();
  let dataCb: (c: Uint8Array) => void = () => {};
  let closeCb: (err?: Error) => void = () => {};
  let gone = false;

  async function shutDown(): Promise<void> {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
    await writer.close().catch(() => {});
    writer.releaseLock();
    await port.close().catch(() => {});
  }

  function finish(err?: Error): void {
    if (gone) return;
    gone = true;
    void shutDown();
    closeCb(err);
  }

  void (async () => {
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) break;
        if (!gone && r.value && r.value.length) dataCb(r.value);
      }
      finish(gone ? undefined : new Error("the serial port closed"));
    } catch (e) {
      finish(gone ? undefined : new Error("the serial port failed: " + (e as Error).message));
    }
  })();

  return {
    write: async (bytes) => {
      if (gone) throw new CommissionerError("LINK_CLOSED", "the serial port is closed");
      try {
        await writer.write(bytes.slice());
      } catch (e) {
        finish(new Error("writing to the serial port failed: " + (e as Error).message));
        throw new CommissionerError("LINK_CLOSED", "writing to the serial port failed: " + (e as Error).message);
      }
    },
    onData: (cb) => (dataCb = cb),
    onClose: (cb) => (closeCb = cb),
    destroy: () => {
      if (gone) return;
      gone = true;
      void shutDown();
      closeCb();
    },
  };
}
