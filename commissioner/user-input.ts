/**
 * What a person types for a device id or a setup code, read one way everywhere: the commissioner's
 * flags and prompt, the registrar's arguments, the main job's --code.
 *
 *   device id    16 hex digits in either case, spaces around it ignored → lowercase (as stored)
 *   setup code   8 digits; spaces and dashes between them ignored (2020-2021, "2020 2021") →
 *                the digits; trivial codes (one digit repeated, 12345678, 87654321) refused
 */
import { setupCodeProblem } from "./pairing.ts";

export class InputError extends Error {
  constructor(readonly code: "BAD_DEVICE_ID" | "BAD_CODE", message: string) {
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
