/**
 * What a person enters or scans for the setup code: the 8 digits as printed (dashes and spaces
 * allowed, commissioner/user-input.ts) or the label's QR payload, "FL:1…"
 * (commissioner/setup-payload.ts, docs/setup-payload.md). Throws with a code the UI explains.
 */
import { parseSetupPayload } from "../../commissioner/setup-payload.ts";
import { readSetupCode } from "../../commissioner/user-input.ts";

export interface EnteredCode {
  code: string;
  /** From a QR payload; absent for typed digits. */
  discriminator?: number;
}

export function readCodeOrPayload(text: string): EnteredCode {
  const t = text.trim();
  if (/^fl:/i.test(t)) {
    const p = parseSetupPayload(t);
    return { code: p.code, discriminator: p.discriminator };
  }
  return { code: readSetupCode(t) };
}
