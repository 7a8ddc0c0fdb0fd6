/**
 * The entropy API: the plain object that images publish as `firstlight.entropy`.
 * `createEntropyGate` is what firmware uses; the rest is published for self-tests and diagnostics.
 */
import { createEntropyGate, MIN_GATE_BITS } from "./gate";
import { HmacDrbg, drbgInternalState } from "./drbg";
import { EntropyPool } from "./pool";
import { HealthTests, rctCutoff, aptCutoff } from "./health";

export var entropyApi = {
  createEntropyGate: createEntropyGate,
  MIN_GATE_BITS: MIN_GATE_BITS,
  HmacDrbg: HmacDrbg,
  /** Test-only: copies of V and Key of a DRBG the caller created (NIST intermediate values). */
  drbgInternalState: drbgInternalState,
  EntropyPool: EntropyPool,
  HealthTests: HealthTests,
  rctCutoff: rctCutoff,
  aptCutoff: aptCutoff,
};
