/**
 * NIST CAVP SHA-512 vectors (ShortMsg, LongMsg, Monte): all of them, on every engine. Options
 * (build/selftest.ts, LoaderOptions): `sample: "spread"` keeps the short messages of 0, 1, 111, 112,
 * 113, 127 and 128 bytes and two long ones, `"smoke"` those of 0, 111, 112 and 128 bytes and the
 * long one nearest 1 KB; `partBytes` sends longer messages in parts
 * (test-sim/selftest/long-message.ts) instead of base64; `monte` keeps the first checkpoints.
 */
import type { LoaderOptions } from "../../../build/selftest.ts";
import { longItems, msgVectors, monteVectors, sampleMessages } from "./nist-sha.ts";

/**
 * LongMsg messages longer than this travel as base64 in parts of PART characters ({ base64: [..] }),
 * not as one hex string: a 12 800-byte message as hex is a 25 600-character string, which beside
 * the image, its decoded bytes and the copies a JSON parser makes while growing a string does not
 * fit a 64 KB engine heap.
 */
const HEX_BYTES = 4096;
/** Base64 characters per part: a multiple of 4, so every part but the last decodes to 768 bytes. */
const PART = 1024;

function base64Parts(hex: string): string[] {
  const b = Buffer.from(hex, "hex").toString("base64"), parts: string[] = [];
  for (let i = 0; i < b.length; i += PART) parts.push(b.slice(i, i + PART));
  return parts;
}

export default function load(o: LoaderOptions): unknown {
  let short = msgVectors("SHA512ShortMsg.rsp"), long = msgVectors("SHA512LongMsg.rsp"), index = long.map((_, j) => j);
  if (o.sample) ({ short, long, index } = sampleMessages(short, long, o.sample === "smoke" ? [0, 111, 112, 128] : [0, 1, 111, 112, 113, 127, 128], o.sample === "smoke"));
  const monte = monteVectors("SHA512Monte.rsp");
  return {
    short,
    long: o.partBytes
      ? longItems(long, index, o.partBytes)
      : long.map(([m, md]) => (m.length / 2 > HEX_BYTES ? [{ base64: base64Parts(m) }, md] : [m, md])),
    monte: { seed: monte.seed, mds: monte.mds.slice(0, o.monte ?? monte.mds.length) },
  };
}

/** Lists of independent vectors (a long message's parts stay in order): build/selftest.ts may cut them into pieces. */
export const cuttable = ["short", "long"];
