/** The identity keys the concurrent writers fight over (test-sim/registrar/concurrent-writer.ts). */
import { createHash } from "node:crypto";
import { deviceIdOf } from "../../registrar/derive.ts";

/** Keys 0 … ADD_KEYS − 1 are added as devices; rotations pick from all POOL_KEYS. */
export const ADD_KEYS = 12;
export const POOL_KEYS = 30;

export function poolKey(i: number): string {
  return createHash("sha256").update(`concurrency pool key ${i}`).digest("hex");
}

/** The ids of the devices the writers may add (and then change). */
export function candidateIds(): string[] {
  return Array.from({ length: ADD_KEYS }, (_, i) => deviceIdOf(Buffer.from(poolKey(i), "hex")));
}
