import type { HalError } from "./errors";

/**
 * A byte stream to the commissioner (UART, BLE NUS, TCP in the simulator). It carries bytes,
 * not frames: framing is the protocol's job. Delivery is in order; chunks may split anywhere.
 */
export interface Link {
  /** Queues bytes for sending; CLOSED once the peer has gone. */
  send(bytes: Uint8Array): HalError | null;
  /** Registers the receiver of incoming chunks (one receiver; a new call replaces it). */
  onReceive(handler: (chunk: Uint8Array) => void): void;
  /** Registers the handler called once when the link closes. */
  onClose(handler: () => void): void;
  /** Closes the link. */
  close(): void;
}
