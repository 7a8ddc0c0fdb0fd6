/**
 * One of the concurrent writers of test-sim/registrar/concurrency.test.ts, a process of its own:
 * opens the registry, says "ready", waits for "go" on stdin, then runs `ops` random operations
 * that conflict with the other writers' (the same few devices and identity keys), and prints one
 * JSON line per operation that succeeded. A refusal the registry should give under contention
 * (DUPLICATE, BAD_STATE, UNKNOWN_DEVICE, BAD_KEY) is counted; any other error ends the process
 * with status 1.
 *
 *   node --import tsx concurrent-writer.ts LOCATION MASTER_HEX SEED OPS
 */
import { createInterface } from "node:readline";
import { RegistrarError } from "../../registrar/derive.ts";
import { registryKeys } from "../../registrar/master-key.ts";
import { openRegistry } from "../../registrar/open-registry.ts";
import { candidateIds, poolKey, ADD_KEYS, POOL_KEYS } from "./concurrent-pool.ts";

const [location, masterHex, seedText, opsText] = process.argv.slice(2);
const EXPECTED = new Set(["DUPLICATE", "BAD_STATE", "UNKNOWN_DEVICE", "BAD_KEY"]);

/** xorshift32: the same sequence for the same seed. */
let state = (Number(seedText) * 2654435761) >>> 0 || 1;
function rand(n: number): number {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state % n;
}

async function main(): Promise<void> {
  const master = Uint8Array.from(Buffer.from(masterHex, "hex"));
  const r = await openRegistry(location, registryKeys(master), { create: true });
  master.fill(0);
  console.log(JSON.stringify({ ready: true }));
  await new Promise<void>((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.once("line", () => {
      rl.close();
      process.stdin.destroy();
      resolve();
    });
  });
  const ids = candidateIds();
  const refused: Record<string, number> = {};
  for (let i = 0; i < Number(opsText); i++) {
    const pick = rand(100), id = ids[rand(ids.length)];
    try {
      if (pick < 15) {
        const k = poolKey(rand(ADD_KEYS));
        const d = await r.add(k);
        console.log(JSON.stringify({ op: "add", id: d.id, identity: k, epoch: d.epoch }));
      } else if (pick < 40) {
        const d = await r.beginRotation(id);
        console.log(JSON.stringify({ op: "rotate-begin", id, epoch: d.epoch }));
      } else if (pick < 65) {
        const k = poolKey(rand(POOL_KEYS));
        const d = await r.confirmRotation(id, k);
        console.log(JSON.stringify({ op: "rotate-confirm", id, identity: k, epoch: d.epoch }));
      } else if (pick < 96) {
        const d = await r.bumpEpoch(id);
        console.log(JSON.stringify({ op: "epoch", id, epoch: d.epoch }));
      } else {
        const d = await r.setStatus(id, "revoked", `writer ${seedText}`);
        console.log(JSON.stringify({ op: "revoke", id, epoch: d.epoch }));
      }
    } catch (e) {
      if (!(e instanceof RegistrarError) || !EXPECTED.has(e.code)) throw e;
      refused[e.code] = (refused[e.code] ?? 0) + 1;
    }
  }
  console.log(JSON.stringify({ refused }));
  await r.close();
}

main().catch((e) => {
  console.error(`writer ${seedText}: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
