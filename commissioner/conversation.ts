/**
 * What pairing and sessions share: waiting for the one frame type the state allows, turning ERROR
 * frames into DeviceErrors, and ending a conversation the way docs/protocol.md §1 says (an ERROR
 * frame when we still can, then the link closed).
 */
import { CommissionerError, DeviceError, ERROR_CODE } from "./errors.ts";
import { FRAME, frameName } from "./framing.ts";
import type { FrameTransport } from "./frame-transport.ts";

/** Parses an ERROR body (§4): code (1) ‖ detail (≤ 64 bytes of UTF-8; shown leniently, it is unauthenticated: C0, DEL and C1 controls become '?'). */
export function parseErrorFrame(body: Uint8Array): DeviceError {
  const detail = new TextDecoder("utf-8").decode(body.subarray(1)).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return new DeviceError(body[0], detail);
}

/** Receives the next frame, which must be `type`; an ERROR frame becomes a DeviceError. */
export async function expectFrame(t: FrameTransport, type: number, timeoutMs: number): Promise<Uint8Array> {
  const f = await t.receive(timeoutMs);
  if (f.type === FRAME.ERROR) throw parseErrorFrame(f.body);
  if (f.type !== type) throw new CommissionerError("PROTO_UNEXPECTED", "expected " + frameName(type) + ", got " + frameName(f.type));
  return f.body;
}

export async function sendError(t: FrameTransport, code: number, detail: string): Promise<void> {
  const d = new TextEncoder().encode(detail).subarray(0, 64);
  const body = new Uint8Array(1 + d.length);
  body[0] = code;
  body.set(d, 1);
  await t.send(FRAME.ERROR, body);
}

/** The ERROR frame we owe the peer for a local failure, if any (none for the peer's own ERROR or a dead link). */
export function errorFrameFor(err: unknown): { code: number; detail: string } | null {
  if (err instanceof DeviceError || !(err instanceof CommissionerError)) return null;
  if (err.code === "BAD_SHARE") return { code: ERROR_CODE.BAD_SHARE, detail: "" };
  if (err.code === "PROTO_TIMEOUT") return { code: ERROR_CODE.TIMEOUT, detail: "" };
  if (err.code.startsWith("PROTO_")) return { code: ERROR_CODE.PROTOCOL, detail: err.code };
  return null;
}

/** Ends the conversation after `err`: best-effort ERROR frame, then close. Never throws. */
export async function endConversation(t: FrameTransport, err: unknown): Promise<void> {
  const e = errorFrameFor(err);
  if (e && !t.closed) {
    try {
      await sendError(t, e.code, e.detail);
    } catch {
      // The link may already be gone; closing is all that is left.
    }
  }
  t.close();
}
