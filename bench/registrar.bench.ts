/**
 * Registrar figures (run: `npx tsx bench/registrar.bench.ts`): per-device key derivations per second
 * on Node (registrar/derive.ts: HKDF-SHA256 of the master over device id ‖ epoch, on @noble/hashes),
 * beside node:crypto's native hkdfSync doing the same derivation in the same run.
 */
import { hkdfSync } from "node:crypto";
import { DEVICE_PSK_SALT, deriveDeviceKey } from "../registrar/derive.ts";

export interface BenchRow { name: string; engine: string; value: number; unit: string; note?: string; section?: string; peers?: { name: string; value: number }[] }

/** Calls `fn(i)` for about `ms` milliseconds, best of 3 rounds; returns calls per second. */
function rate(fn: (i: number) => void, ms = 400): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) for (let k = 0; k < 64; k++) fn(n++);
    best = Math.max(best, n / ((performance.now() - t0) / 1000));
  }
  return best;
}

export async function run(): Promise<BenchRow[]> {
  const master = new Uint8Array(32).map((_, i) => i * 7 + 1);
  const ids = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(16, "0"));
  const info = (id: string, epoch: number) => {
    const b = Buffer.alloc(12);
    Buffer.from(id, "hex").copy(b, 0);
    b.writeUInt32BE(epoch, 8);
    return b;
  };
  // The two must agree before either is timed.
  const a = deriveDeviceKey(master, ids[1], 3), b = new Uint8Array(hkdfSync("sha256", master, DEVICE_PSK_SALT, info(ids[1], 3), 32));
  if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) throw new Error("registrar bench: derive.ts and node:crypto disagree");
  const ours = rate((i) => deriveDeviceKey(master, ids[i & 255], i >>> 8));
  const native = rate((i) => hkdfSync("sha256", master, DEVICE_PSK_SALT, info(ids[i & 255], i >>> 8), 32));
  return [{
    section: "registrar",
    name: "per-device key derivations (HKDF-SHA256, @noble/hashes)",
    engine: "node",
    value: ours,
    unit: "/s",
    note: "higher is better",
    peers: [{ name: "node:crypto hkdfSync", value: native }],
  }];
}

if (import.meta.url === `file://${process.argv[1]}`) run().then((rows) => console.log(rows));
