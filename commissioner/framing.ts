/**
 * Frames (docs/protocol.md §1): `version (1) ‖ type (1) ‖ length (2, big-endian) ‖ body`, and a
 * streaming decoder that reassembles them from arbitrary chunks and enforces every rule of §1.
 */
import { CommissionerError } from "./errors.ts";

export const VERSION = 0x01;
export const HEADER_LENGTH = 4;
export const MAX_BODY = 1024;

export const FRAME = {
  PAIR_HELLO: 0x01,
  PAIR_RESPONSE: 0x02,
  PAIR_CONFIRM: 0x03,
  PAIR_DONE: 0x04,
  SESSION_HELLO: 0x10,
  SESSION_ACCEPT: 0x11,
  DATA: 0x20,
  REKEY: 0x21,
  ERROR: 0x7f,
} as const;

export const FRAME_NAMES: { [type: number]: string } = {};
for (const [k, v] of Object.entries(FRAME)) FRAME_NAMES[v] = k;

/**
 * Allowed body sizes per type: [min, max]. The minimum is the body with an empty payload.
 * PAIR_HELLO is sid (16) ‖ Ya (32) ‖ XXpsk3 message 1 = e (32) ‖ the 16-byte tag of its empty
 * payload: with a psk modifier, "e" also calls MixKey (Noise §9.2), so the payload is encrypted.
 * docs/protocol.md §2.2 says 80; 96 is the only size a Noise XXpsk3 message 1 can have.
 */
export const BODY_SIZE: { [type: number]: [number, number] } = {
  [FRAME.PAIR_HELLO]: [96, 96],
  [FRAME.PAIR_RESPONSE]: [32 + 96, MAX_BODY],
  [FRAME.PAIR_CONFIRM]: [48 + 16, MAX_BODY],
  [FRAME.PAIR_DONE]: [8 + 16, MAX_BODY],
  [FRAME.SESSION_HELLO]: [32 + 16, MAX_BODY],
  [FRAME.SESSION_ACCEPT]: [32 + 16, 32 + 16],
  [FRAME.DATA]: [8 + 16, MAX_BODY],
  [FRAME.REKEY]: [8 + 16, 8 + 16],
  [FRAME.ERROR]: [1, 1 + 64],
};

export interface Frame {
  type: number;
  body: Uint8Array;
}

export function frameName(type: number): string {
  return FRAME_NAMES[type] ?? "0x" + type.toString(16).padStart(2, "0");
}

function bodyLengthOk(type: number, len: number): boolean {
  const s = BODY_SIZE[type];
  return s !== undefined && len >= s[0] && len <= s[1];
}

export function encodeFrame(type: number, body: Uint8Array): Uint8Array {
  if (BODY_SIZE[type] === undefined) throw new CommissionerError("PROTO_BAD_TYPE", "unknown frame type " + frameName(type));
  if (body.length > MAX_BODY) throw new CommissionerError("PROTO_FRAME_TOO_LARGE", frameName(type) + " body of " + body.length + " bytes is over 1024");
  if (!bodyLengthOk(type, body.length)) throw new CommissionerError("PROTO_BAD_LENGTH", frameName(type) + " body of " + body.length + " bytes is the wrong size");
  const out = new Uint8Array(HEADER_LENGTH + body.length);
  out[0] = VERSION;
  out[1] = type;
  out[2] = body.length >> 8;
  out[3] = body.length & 0xff;
  out.set(body, HEADER_LENGTH);
  return out;
}

/**
 * Push chunks in, get whole frames out. Each header byte is checked as soon as it arrives, so a bad
 * version, type or length fails before its body is waited for or buffered. After an error the
 * decoder stays failed: the link must be closed (§1).
 */
export class FrameDecoder {
  private header = new Uint8Array(HEADER_LENGTH);
  private headerFill = 0;
  private body: Uint8Array | null = null;
  private bodyFill = 0;
  private failure: CommissionerError | null = null;

  /** True while part of a frame is buffered (a timeout then is PROTO_TIMEOUT on a partial frame). */
  get partial(): boolean {
    return this.headerFill > 0;
  }

  get failed(): CommissionerError | null {
    return this.failure;
  }

  private fail(code: string, message: string): never {
    this.failure = new CommissionerError(code, message);
    this.body = null;
    throw this.failure;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.failure) throw this.failure;
    const out: Frame[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.body === null) {
        const b = chunk[i++];
        this.header[this.headerFill++] = b;
        if (this.headerFill === 1 && b !== VERSION) this.fail("PROTO_BAD_VERSION", "frame version 0x" + b.toString(16) + ", expected 0x01");
        if (this.headerFill === 2 && BODY_SIZE[b] === undefined) this.fail("PROTO_BAD_TYPE", "unknown frame type 0x" + b.toString(16));
        if (this.headerFill < HEADER_LENGTH) continue;
        const type = this.header[1];
        const len = (this.header[2] << 8) | this.header[3];
        if (len > MAX_BODY) this.fail("PROTO_FRAME_TOO_LARGE", frameName(type) + " announces " + len + " bytes, over 1024");
        if (!bodyLengthOk(type, len)) this.fail("PROTO_BAD_LENGTH", frameName(type) + " body of " + len + " bytes is the wrong size");
        this.body = new Uint8Array(len);
        this.bodyFill = 0;
      }
      const take = Math.min(this.body.length - this.bodyFill, chunk.length - i);
      this.body.set(chunk.subarray(i, i + take), this.bodyFill);
      this.bodyFill += take;
      i += take;
      if (this.bodyFill === this.body.length) {
        out.push({ type: this.header[1], body: this.body });
        this.body = null;
        this.headerFill = 0;
      }
    }
    return out;
  }
}
