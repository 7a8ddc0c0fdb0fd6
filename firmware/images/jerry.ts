/**
 * The JerryScript board image: the device image plus the JerryScript HAL (hal/jerryscript), and
 * `firstlight.jerry.boot(boardJson, setupCode, windowMs, log)`, which the port's C side calls once
 * after running this image's snapshot (ports/jerryscript/binding/engine.c). It assembles the Hal
 * over the registered `firstlight_native` and starts the device; the port keeps the returned handle
 * for status reports. Global: `firstlight`.
 */
import "./device";
import { createJerryHal } from "../../hal/jerryscript/board";
import type { BoardConfig } from "../../hal/board-config";
import { startDevice } from "../onboarding/device";

declare var firstlight: unknown; // the build's banner declares it: `var firstlight;`
(firstlight as { jerry?: unknown }).jerry = {
  boot: function (boardJson: string, setupCode: string, windowMs: number, log: (line: string) => void) {
    var board = JSON.parse(boardJson) as BoardConfig;
    var options: { setupCode: string; log: (line: string) => void; windowMs?: number } = { setupCode: setupCode, log: log };
    if (windowMs > 0) options.windowMs = windowMs;
    return startDevice(createJerryHal(board), options);
  },
};
