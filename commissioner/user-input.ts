/**
 * What a person types for a device id or a setup code, read one way everywhere: the commissioner's
 * flags and prompt, the registrar's arguments, the main job's --code.
 *
 *   device id    16 hex digits in either case, spaces around it ignored → lowercase (as stored)
 *   setup code   8 digits; spaces and dashes between them ignored (2020-2021, "2020 2021") →
 *                the digits; trivial codes (one digit repeated, 12345678, 87654321) refused
 *   label        the setup code as above, or the QR code's setup payload (FL:…, anything with a
 *                colon is read as one; docs/setup-payload.md) → the code and the discriminator
 */
import { setupCodeProblem } from "./setup-code.ts";
import { parseSetupPayload, SetupPayloadError } from "./setup-payload.ts";

export class InputError extends Error {
  constructor(readonly code: "BAD_DEVICE_ID" | "BAD_CODE" | "BAD_PAYLOAD", message: string) {
    super(message);
  }
}

/** A device id as typed → its stored form (16 lowercase hex digits). Throws InputError. */
export function readDeviceId(text: string, what = "a device id"): string {
  const id = String(text).trim().toLowerCase();
  if (!/^[0-9a-f]{16}$/.test(id)) throw new InputError("BAD_DEVICE_ID", `${what} is 16 hex digits (as \`npm run commission -- list\` shows), got ${JSON.stringify(text)}`);
  return id;
}

/** A setup code as typed → its 8 digits. Throws InputError. */
export function readSetupCode(text: string): string {
  const raw = String(text).trim();
  const code = /^[0-9][0-9 -]*[0-9]$/.test(raw) ? raw.replace(/[ -]/g, "") : raw;
  const problem = setupCodeProblem(code);
  if (problem) throw new InputError("BAD_CODE", problem.replace(JSON.stringify(code), JSON.stringify(text)));
  return code;
}

/** What a label gives: the code, and the discriminator when it came from the QR payload. */
export interface SetupInput { code: string; discriminator?: number }

/** A setup code or a setup payload as typed or scanned. Throws InputError (BAD_CODE, BAD_PAYLOAD). */
export function readSetupInput(text: string): SetupInput {
  if (!String(text).includes(":")) return { code: readSetupCode(text) };
  return readSetupPayload(text);
}

/** A setup payload (FL:…) only. Throws InputError BAD_PAYLOAD with the payload's own sentence. */
export function readSetupPayload(text: string): SetupInput {
  try {
    const p = parseSetupPayload(text);
    return { code: p.code, discriminator: p.discriminator };
  } catch (e) {
    if (e instanceof SetupPayloadError) throw new InputError("BAD_PAYLOAD", e.message);
    throw e;
  }
}
