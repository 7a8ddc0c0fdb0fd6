/**
 * Every failure the commissioner reports carries a code and one sentence. Codes are the protocol's
 * names (docs/protocol.md §1, §3.3, §4) or LINK_* for the transport, so a failure reads the same in a
 * log, a test and the CLI.
 */

/** Device ERROR codes, docs/protocol.md §4. */
export const DEVICE_ERRORS: { [code: number]: string } = {
  1: "WINDOW_CLOSED",
  2: "LOCKED",
  3: "PAIRING_FAILED",
  4: "BAD_SHARE",
  5: "AUTH_FAILED",
  6: "NOT_PAIRED",
  7: "PROTOCOL",
  8: "TIMEOUT",
  9: "BUSY",
};

export const ERROR_CODE = {
  WINDOW_CLOSED: 1,
  LOCKED: 2,
  PAIRING_FAILED: 3,
  BAD_SHARE: 4,
  AUTH_FAILED: 5,
  NOT_PAIRED: 6,
  PROTOCOL: 7,
  TIMEOUT: 8,
  BUSY: 9,
} as const;

export class CommissionerError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "CommissionerError";
    this.code = code;
  }
}

/** An ERROR frame from the device (§4). Unauthenticated: it ends the conversation, nothing more. */
export class DeviceError extends CommissionerError {
  /** The numeric code of §4 (1 … 9, or another value from a newer device). */
  readonly deviceCode: number;
  readonly detail: string;
  /** For PAIRING_FAILED: the attempts left, when the detail gives them. */
  readonly attemptsLeft?: number;
  constructor(deviceCode: number, detail: string) {
    const name = DEVICE_ERRORS[deviceCode] ?? "UNKNOWN_" + deviceCode;
    super(name, describeDeviceError(name, detail));
    this.name = "DeviceError";
    this.deviceCode = deviceCode;
    this.detail = detail;
    if (name === "PAIRING_FAILED") {
      const m = /^\s*(\d+)/.exec(detail);
      if (m) this.attemptsLeft = Number(m[1]);
    }
  }
}

function describeDeviceError(name: string, detail: string): string {
  const d = detail ? " (" + detail + ")" : "";
  switch (name) {
    case "WINDOW_CLOSED": return "the device's commissioning window is closed: press its button to open it" + d;
    case "LOCKED": return "the device is locked after too many failed pairing attempts: it needs a factory reset: hold its button 10 s, then pair again" + d;
    case "PAIRING_FAILED": return "the device rejected the setup code (wrong code?)" + (detail ? "; attempts left: " + detail : "");
    case "BAD_SHARE": return "the device rejected a key share as invalid" + d;
    case "AUTH_FAILED": return "the device does not know this commissioner's key (not paired with it, or revoked)" + d;
    case "NOT_PAIRED": return "the device is not paired yet" + d;
    case "PROTOCOL": return "the device reported a protocol error" + d;
    case "TIMEOUT": return "the device timed out waiting for us" + d;
    case "BUSY": return "the device is busy with another conversation" + d;
    default: return "the device reported error " + name + d;
  }
}
