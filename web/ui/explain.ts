/**
 * Every failure the web commissioner shows, as a title a person acts on and the detail behind it.
 * The codes are the core's (commissioner/errors.ts: the device's ERROR codes of docs/protocol.md §4,
 * LINK_*, PROTO_*, DEVICE_ROLLBACK) and the records' (commissioner/device-records.ts).
 */
import { DeviceError } from "../../commissioner/errors.ts";

export interface Explained {
  title: string;
  detail: string;
  code: string;
}

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === "string" ? c : "";
}

export function explain(e: unknown): Explained {
  const code = codeOf(e);
  const detail = String((e as Error)?.message ?? e);
  if (e instanceof DeviceError) {
    switch (e.code) {
      case "PAIRING_FAILED":
        return { code, detail, title: e.attemptsLeft !== undefined ? `Wrong setup code: ${e.attemptsLeft} attempt${e.attemptsLeft === 1 ? "" : "s"} left before the device locks` : "Wrong setup code" };
      case "WINDOW_CLOSED":
        return { code, detail, title: "The device's commissioning window is closed: press its button (the LED blinks), then pair within its window" };
      case "LOCKED":
        return { code, detail, title: "The device is locked after too many wrong codes: factory-reset it (hold its button 10 s), then pair again" };
      case "BUSY":
        if (/ENTROPY_NOT_READY/.test(e.detail)) return { code, detail, title: "The device is still gathering entropy for its keys: try again in a few seconds" };
        if (/STORE_SEED_DERIVED/.test(e.detail)) return { code, detail, title: "The device cannot store secrets until its entropy gate opens: try again in a few seconds" };
        return { code, detail, title: "The device is busy with another conversation (another commissioner or tab?): try again when it ends" };
      case "AUTH_FAILED":
        return { code, detail, title: "The device does not know this browser's key: it was paired elsewhere, or factory-reset (pair it again)" };
      case "NOT_PAIRED":
        return { code, detail, title: "The device is not paired (it was decommissioned or reset): pair it again" };
    }
    return { code, detail, title: "The device refused: " + e.code };
  }
  switch (code) {
    case "BAD_CODE":
    case "BAD_PREFIX":
    case "BAD_CHECK":
    case "BAD_VERSION":
    case "BAD_LENGTH":
    case "BAD_CHARACTER":
    case "BAD_DISCRIMINATOR":
      return { code, detail, title: "That is not a setup code or a label's QR payload" };
    case "LINK_BAD_ADDRESS":
      return { code, detail, title: "That is not a device address" };
    case "LINK_REFUSED":
    case "LINK_UNREACHABLE":
    case "LINK_TIMEOUT":
      return { code, detail, title: "The device could not be reached" };
    case "LINK_CLOSED":
      return { code, detail, title: "The link to the device closed" };
    case "PROTO_TIMEOUT":
      return { code, detail, title: "The device stopped answering" };
    case "PROTO_BAD_VERSION":
      return { code, detail, title: "That is not a firstlight device (wrong port or address?)" };
    case "DEVICE_ROLLBACK":
      return { code, detail, title: "Refused: the device's flash went backwards (an older image was restored)" };
    case "DEVICE_NOT_ACTIVE":
      return { code, detail, title: "This device gets no sessions (revoked or decommissioned)" };
    case "UNUSABLE_IDENTITY":
      return { code, detail, title: "Paired, but this identity is recorded as retired: factory-reset the device and pair again" };
    case "NO_SUPPORT":
      return { code, detail, title: "This browser cannot do that" };
    case "CANCELLED":
      return { code, detail, title: "Cancelled" };
  }
  if (code.startsWith("PROTO_") || code.startsWith("SESSION_")) return { code, detail, title: "The conversation broke off: " + code };
  return { code, detail, title: "Failed" };
}
