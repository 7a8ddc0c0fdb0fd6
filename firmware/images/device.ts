/**
 * The onboarding device image: the core (crypto, entropy, protocol layers) plus
 * `firstlight.device.start(hal, { setupCode, windowMs?, log? })`, which boots the device of
 * firmware/onboarding/device.ts on a Hal the host (or a board's driver) builds. Global: `firstlight`.
 */
import "./core";
import { startDevice, setupCodeProblem, FIRMWARE_VERSION } from "../onboarding/device";
import { DEFAULT_WINDOW_MS, MIN_WINDOW_MS, MAX_WINDOW_MS } from "../onboarding/window";
import { LONG_PRESS_MS, DEBOUNCE_MS } from "../onboarding/button";
import { MAX_FAILED_ATTEMPTS } from "../onboarding/credentials";

declare var firstlight: unknown; // the build's banner declares it: `var firstlight;`
(firstlight as { device?: unknown }).device = {
  start: startDevice,
  setupCodeProblem: setupCodeProblem,
  version: FIRMWARE_VERSION,
  DEFAULT_WINDOW_MS: DEFAULT_WINDOW_MS,
  MIN_WINDOW_MS: MIN_WINDOW_MS,
  MAX_WINDOW_MS: MAX_WINDOW_MS,
  LONG_PRESS_MS: LONG_PRESS_MS,
  DEBOUNCE_MS: DEBOUNCE_MS,
  MAX_FAILED_ATTEMPTS: MAX_FAILED_ATTEMPTS,
};
