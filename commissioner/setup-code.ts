/**
 * The setup code's format rule on the host side (docs/protocol.md §2.1, Matter's rule): exactly 8
 * ASCII digits, and never 00000000, 11111111 … 99999999, 12345678 or 87654321. No dependencies, so
 * the browser commissioner and the setup payload use it as they are. The device checks the same
 * rule itself (firmware/onboarding/device.ts, ES5).
 */

/** null when `code` is a setup code a device may carry, else one sentence saying why not. */
export function setupCodeProblem(code: string): string | null {
  if (!/^[0-9]{8}$/.test(code)) return "the setup code is exactly 8 digits (e.g. 20202021), got " + JSON.stringify(code);
  if (/^(\d)\1{7}$/.test(code) || code === "12345678" || code === "87654321") return "the setup code " + code + " is a trivial code no device uses: check the label";
  return null;
}

export function isValidSetupCode(code: string): boolean {
  return typeof code === "string" && setupCodeProblem(code) === null;
}
