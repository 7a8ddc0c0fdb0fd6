/**
 * Power cuts during a pairing on the JerryScript port: for N = 1, 2, … the device boots on a
 * fresh flash file, its button is pressed, the port is told to cut the power during the N-th flash
 * program/erase from then on (posix/flash-file.c tears that operation: a random prefix of it
 * reaches the cells), and the commissioner pairs. After the cut a new process boots from the same
 * file; it must come back paired or unpaired with no uncaught exception, and then prove it: an
 * unpaired device pairs afresh, a paired one that the commissioner recorded opens a session.
 * The sweep ends at the first N that the pairing finishes without reaching.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { commission, openCommissionerState, runSession } from "../../../commissioner/cli.node.ts";
import type { JerryPort, JerrySnapshot } from "./build.node.ts";
import { JerryDevice } from "./device.node.ts";

export interface CutOutcome {
  /** The operation the power died in. */
  op: number;
  /** The state the reboot found. */
  state: string;
  /** What proved it usable: "paired again", "session", or "paired (commissioner never recorded it)". */
  proof: string;
  /** jerry_heap_stats' high-water mark of the process that rebooted after the cut (recovery and proof included). */
  heapPeak: number;
}

export interface CutSweep {
  /** Flash program/erase operations of one whole pairing. */
  opsPerPairing: number;
  outcomes: CutOutcome[];
}

export interface CutSweepOptions {
  port: JerryPort;
  snapshot: JerrySnapshot;
  dir: string;
  secretPath: string;
  code: string;
  heapKb?: number;
  /** Stop after this many cut points (default: all). */
  maxCuts?: number;
  env?: NodeJS.ProcessEnv;
}

async function pairOnce(dev: JerryDevice, o: CutSweepOptions, commDir: string): Promise<string> {
  await dev.waitGate();
  await dev.press(250);
  await dev.seenOrWait((l) => /commissioning window opened/.test(l), "the commissioning window");
  const st = await openCommissionerState(commDir);
  try {
    const r = await commission({ code: o.code, device: dev.url, state: st, out: () => {}, stepTimeoutMs: 10_000, connectTimeoutMs: 5000 });
    return r.record.id;
  } finally {
    await st.close();
  }
}

export async function sweepPairingCuts(o: CutSweepOptions): Promise<CutSweep> {
  const flashPath = join(o.dir, "cut-flash.bin");
  const outcomes: CutOutcome[] = [];
  const boot = () => JerryDevice.boot({ port: o.port, snapshot: o.snapshot, flashPath, secretPath: o.secretPath, setupCode: o.code, heapKb: o.heapKb ?? 64, env: o.env });
  for (let n = 1; n <= (o.maxCuts ?? 1000); n++) {
    rmSync(flashPath, { force: true });
    const commDir = join(o.dir, "cut-comm-" + n);
    rmSync(commDir, { recursive: true, force: true });
    let dev = await boot();
    let recorded = "";
    try {
      await dev.waitGate();
      // A fresh flash: the gate's opening shreds the first-life store. A press that lands while the
      // shred still runs is handled only after it, and on a loaded host its down and up edges can
      // then arrive together (a 0 ms press, ignored as contact bounce): press once it is done.
      await dev.seenOrWait((l) => /store: shredded the root-derived first-life store/.test(l), "the first-life shred");
      await dev.press(250);
      await dev.seenOrWait((l) => /commissioning window opened/.test(l), "the commissioning window");
      dev.cutAfter(n);
      const st = await openCommissionerState(commDir);
      try {
        recorded = (await commission({ code: o.code, device: dev.url, state: st, out: () => {}, stepTimeoutMs: 10_000, connectTimeoutMs: 5000 })).record.id;
      } catch {
        // The device died mid-pairing: the commissioner sees the link drop.
      } finally {
        await st.close();
      }
      const cut = await dev.seenOrWait((l) => l.startsWith("powercut "), "a power cut", recorded ? 300 : 5000).catch(() => null);
      if (!cut) return { opsPerPairing: n - 1, outcomes };
      await dev.exit();
    } finally {
      await dev.kill();
    }
    dev = await boot();
    try {
      await dev.waitGate();
      const s = await dev.status();
      if (s.faults !== 0) throw new Error(`after a cut in operation ${n} the device reports ${s.faults} uncaught exception(s):\n${dev.logs().join("\n")}`);
      let proof: string;
      if (s.device.state === "unpaired") {
        await pairOnce(dev, o, commDir);
        proof = "paired again";
      } else if (s.device.state === "paired" && recorded) {
        const st = await openCommissionerState(commDir);
        try {
          const r = await runSession({ device: dev.url, id: recorded, state: st, messages: [{ kind: "echo", text: "after the cut" }], out: () => {} });
          if (r.exchanged[0]?.received !== "after the cut") throw new Error("the echo did not come back");
        } finally {
          await st.close();
        }
        proof = "session";
      } else if (s.device.state === "paired") {
        proof = "paired (commissioner never recorded it)";
      } else {
        throw new Error(`after a cut in operation ${n} the device is ${s.device.state}, neither paired nor unpaired:\n${dev.logs().join("\n")}`);
      }
      outcomes.push({ op: n, state: s.device.state, proof, heapPeak: (await dev.status()).heap.peak });
    } finally {
      await dev.kill();
    }
  }
  return { opsPerPairing: -1, outcomes };
}
