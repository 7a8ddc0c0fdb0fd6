/**
 * The hardware a firstlight device runs on, as the firmware core sees it. Drivers (hal/sim,
 * hal/espruino, hal/jerryscript) build one of these; the core never imports a driver.
 */
import type { Accel } from "./accel";
import type { BoardConfig } from "./board-config";
import type { Button } from "./button";
import type { Clock } from "./clock";
import type { DeviceSecret } from "./device-secret";
import type { Flash } from "./flash";
import type { Led } from "./led";
import type { Link } from "./link";
import type { Trng } from "./trng";

export type { Accel, BoardConfig, Button, Clock, DeviceSecret, Flash, Led, Link, Trng };
export type { HalError, Done } from "./errors";

export interface Hal {
  board: BoardConfig;
  trng: Trng;
  /** A second, independent raw source (timing jitter) on boards whose file has `jitter`; absent elsewhere. */
  jitter?: Trng | null;
  button: Button;
  led: Led | null;
  clock: Clock;
  flash: Flash;
  /** Absent until a commissioner connects; the driver hands each new link to `onLink`. */
  onLink(handler: (link: Link) => void): void;
  secret: DeviceSecret | null;
  /** Native crypto the board offers (hal/accel.ts); absent = the portable code for everything. */
  accel?: Accel | null;
  /** Restarts the device (the simulator reboots from its flash file). */
  reboot(): void;
}
