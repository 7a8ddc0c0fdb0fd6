/**
 * The setup payload: what a device's QR code holds (docs/setup-payload.md, character by character).
 *
 *   FL:  V  NNNNNNNN  C        e.g. "FL:1" + 8 base-36 digits + 1 check character (13 characters)
 *
 *   V  the payload version, one base-36 digit ("1")
 *   N  discriminator × 2^27 + code value, as 8 base-36 digits, most significant first
 *      (12-bit discriminator, the 8-digit setup code as a 27-bit number)
 *   C  ISO/IEC 7064 MOD 37,36 check character over V and N
 *
 * Every character is in QR alphanumeric mode (0-9, A-Z and ':'). Pure TypeScript without Node APIs:
 * the CLI, the factory step and the browser commissioner share this file.
 */
import { isValidSetupCode, setupCodeProblem } from "./setup-code.ts";

export { isValidSetupCode };

export const SETUP_PAYLOAD_PREFIX = "FL:";
export const SETUP_PAYLOAD_VERSION = 1;
/** Characters after the prefix in a version-1 payload: version, 8 data digits, check. */
export const SETUP_PAYLOAD_BODY_LENGTH = 10;
export const DISCRIMINATOR_BITS = 12;
export const MAX_DISCRIMINATOR = (1 << DISCRIMINATOR_BITS) - 1;
const CODE_BITS = 27;
const CODE_SPAN = 1 << CODE_BITS; // 134 217 728 > 99 999 999
const DATA_DIGITS = 8; // 36^8 ≈ 2^41.4 holds the 39 bits
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const M = 36;

export interface SetupPayload {
  version: number;
  /** The 8-digit setup code, as printed (e.g. "20202021"). */
  code: string;
  /** 0 … 4095: tells devices in range apart before an attempt is spent (docs/setup-payload.md). */
  discriminator: number;
}

export type SetupPayloadProblem =
  | "BAD_PREFIX"
  | "BAD_VERSION"
  | "BAD_LENGTH"
  | "BAD_CHARACTER"
  | "BAD_CHECK"
  | "BAD_CODE"
  | "BAD_DISCRIMINATOR";

export class SetupPayloadError extends Error {
  readonly code: SetupPayloadProblem;
  constructor(code: SetupPayloadProblem, message: string) {
    super(message);
    this.name = "SetupPayloadError";
    this.code = code;
  }
}

/** ISO/IEC 7064 hybrid system MOD 37,36 over digit values 0…35: the running product P (§5.2). */
function mod3736(values: number[]): number {
  let p = M;
  for (const a of values) {
    let s = (p + a) % M;
    if (s === 0) s = M;
    p = (2 * s) % (M + 1);
  }
  return p;
}

/** The check character's value: the one that brings the running sum to 1. */
function checkValue(values: number[]): number {
  return (((1 - mod3736(values)) % M) + M) % M;
}

/** The MOD 37,36 check character of a string of 0-9/A-Z (exported for the standard's own examples). */
export function mod3736CheckCharacter(text: string): string {
  return ALPHABET.charAt(checkValue(digitValues(text)));
}

function digitValues(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) out.push(ALPHABET.indexOf(text.charAt(i)));
  return out;
}

export function encodeSetupPayload(p: SetupPayload): string {
  if (p.version !== SETUP_PAYLOAD_VERSION) throw new SetupPayloadError("BAD_VERSION", `setup payload version ${p.version} is not supported: this commissioner writes version ${SETUP_PAYLOAD_VERSION}`);
  const problem = setupCodeProblem(p.code);
  if (problem) throw new SetupPayloadError("BAD_CODE", problem);
  if (!Number.isInteger(p.discriminator) || p.discriminator < 0 || p.discriminator > MAX_DISCRIMINATOR) {
    throw new SetupPayloadError("BAD_DISCRIMINATOR", `the discriminator is an integer 0…${MAX_DISCRIMINATOR} (12 bits), got ${p.discriminator}`);
  }
  // discriminator × 2^27 + code < 2^39 < 2^53: exact in a double.
  let n = p.discriminator * CODE_SPAN + Number(p.code);
  let data = "";
  for (let i = 0; i < DATA_DIGITS; i++) {
    data = ALPHABET.charAt(n % M) + data;
    n = Math.floor(n / M);
  }
  const body = ALPHABET.charAt(p.version) + data;
  return SETUP_PAYLOAD_PREFIX + body + ALPHABET.charAt(checkValue(digitValues(body)));
}

/**
 * A scanned or typed payload → its fields. Spaces around it and lower case are forgiven (a person may
 * type it from a screen); anything else wrong throws SetupPayloadError naming what.
 */
export function parseSetupPayload(text: string): SetupPayload {
  const t = String(text).trim().toUpperCase();
  const shown = JSON.stringify(text);
  if (t.slice(0, SETUP_PAYLOAD_PREFIX.length) !== SETUP_PAYLOAD_PREFIX) {
    throw new SetupPayloadError("BAD_PREFIX", `a firstlight setup payload starts with "${SETUP_PAYLOAD_PREFIX}", got ${shown}: this QR code is not a firstlight label`);
  }
  const body = t.slice(SETUP_PAYLOAD_PREFIX.length);
  for (let i = 0; i < body.length; i++) {
    if (ALPHABET.indexOf(body.charAt(i)) < 0) {
      throw new SetupPayloadError("BAD_CHARACTER", `setup payload ${shown}: character ${JSON.stringify(body.charAt(i))} at position ${SETUP_PAYLOAD_PREFIX.length + i + 1} is not 0-9 or A-Z`);
    }
  }
  if (body.length === 0) throw new SetupPayloadError("BAD_LENGTH", `setup payload ${shown} ends after its prefix`);
  const version = ALPHABET.indexOf(body.charAt(0));
  if (version !== SETUP_PAYLOAD_VERSION) {
    throw new SetupPayloadError("BAD_VERSION", `setup payload ${shown} is version ${version}; this commissioner reads version ${SETUP_PAYLOAD_VERSION}: update it`);
  }
  if (body.length !== SETUP_PAYLOAD_BODY_LENGTH) {
    throw new SetupPayloadError("BAD_LENGTH", `setup payload ${shown} has ${body.length} characters after "${SETUP_PAYLOAD_PREFIX}", a version-1 payload has ${SETUP_PAYLOAD_BODY_LENGTH}: it was cut short or has extra characters`);
  }
  const values = digitValues(body);
  if ((mod3736(values.slice(0, -1)) + values[values.length - 1]) % M !== 1) {
    throw new SetupPayloadError("BAD_CHECK", `setup payload ${shown}: the check character does not match (a character was misread or mistyped)`);
  }
  let n = 0;
  for (let i = 1; i <= DATA_DIGITS; i++) n = n * M + values[i];
  const discriminator = Math.floor(n / CODE_SPAN);
  const value = n % CODE_SPAN;
  if (discriminator > MAX_DISCRIMINATOR) {
    throw new SetupPayloadError("BAD_DISCRIMINATOR", `setup payload ${shown}: the discriminator field is ${discriminator}, above ${MAX_DISCRIMINATOR}: not a payload a factory wrote`);
  }
  if (value > 99999999) throw new SetupPayloadError("BAD_CODE", `setup payload ${shown}: the code field is ${value}, more than 8 digits: not a payload a factory wrote`);
  const code = String(100000000 + value).slice(1);
  if (!isValidSetupCode(code)) throw new SetupPayloadError("BAD_CODE", `setup payload ${shown} holds ${setupCodeProblem(code)}`);
  return { version, code, discriminator };
}
