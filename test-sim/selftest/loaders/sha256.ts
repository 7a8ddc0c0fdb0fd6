/**
 * NIST CAVP SHA-256 vectors (ShortMsg, LongMsg, Monte): all of them, on every engine. Options
 * (build/selftest.ts, LoaderOptions): `sample: "spread"` keeps the short messages of 0, 1, 3, 55, 56,
 * 57, 63 and 64 bytes and two long ones, `"smoke"` those of 0, 55, 56 and 64 bytes and the long one
 * nearest 1 KB; `partBytes` sends longer messages in parts
 * (test-sim/selftest/long-message.ts); `monte` keeps the first checkpoints.
 */
import type { LoaderOptions } from "../../../build/selftest.ts";
import { longItems, msgVectors, monteVectors, sampleMessages } from "./nist-sha.ts";

export default function load(o: LoaderOptions): unknown {
  let short = msgVectors("SHA256ShortMsg.rsp"), long = msgVectors("SHA256LongMsg.rsp"), index = long.map((_, j) => j);
  if (o.sample) ({ short, long, index } = sampleMessages(short, long, o.sample === "smoke" ? [0, 55, 56, 64] : [0, 1, 3, 55, 56, 57, 63, 64], o.sample === "smoke"));
  const monte = monteVectors("SHA256Monte.rsp");
  return {
    short,
    long: longItems(long, index, o.partBytes),
    monte: { seed: monte.seed, mds: monte.mds.slice(0, o.monte ?? monte.mds.length) },
  };
}

/** Lists of independent vectors (a long message's parts stay in order): build/selftest.ts may cut them into pieces. */
export const cuttable = ["short", "long"];
