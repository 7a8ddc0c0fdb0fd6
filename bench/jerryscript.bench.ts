/**
 * The JerryScript port's memory and size (run: `npx tsx build/build.ts --quiet && npx tsx bench/run.ts jerryscript`):
 *  1. jerry_heap_stats of the crypto image and bench/memory.ts's crypto workload on JerryScript
 *     (static snapshots, tools/script-run.c), beside QuickJS's estimate of the same (heapProfile);
 *  2. the device on the port with a 64 KB heap: peak through the first boot and the gate's
 *     first-life seed shred, live heap after boot, peak and live through a reboot and a pairing,
 *     peak and live through a reboot and a session, and the wall time of both, with the native
 *     kernel (ports/cortex-m through the accelerator, as the board file asks) and all portable;
 *  3. the device image as a static snapshot (+ its literal table) against its ES5 source.
 * "Peak" is jerry_heap_stats' high-water mark since the engine started (garbage included: JerryScript
 * collects when an allocation does not fit); "live" is after a full collection.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST } from "../build/paths.ts";
import { commission, openCommissionerState, runSession } from "../commissioner/cli.node.ts";
import { buildPort, buildSnapshot, buildSnapshotSet, type JerryPort } from "../ports/jerryscript/host/build.node.ts";
import { JERRY_BOARD_FILE, JerryDevice, type JerryStatus } from "../ports/jerryscript/host/device.node.ts";
import { heapProfile, MEMORY_WORKLOAD } from "./memory.ts";
import type { BenchRow } from "./run.ts";

const CODE = "20202021";

function scriptHeap(port: JerryPort, literals: string, snapshots: string[]): { peak: number; allocated: number; out: string } {
  const args = ["--heap-kb", "64", "--literals", literals];
  for (const s of snapshots) args.push("--snapshot", s);
  const r = spawnSync(port.scriptRun, args, { encoding: "utf8" });
  const m = /^heap (\d+) (\d+) (\d+)$/m.exec(r.stdout);
  if (r.status !== 0 || !m) throw new Error("script-run failed: " + r.stdout + r.stderr);
  return { peak: Number(m[2]), allocated: Number(m[3]), out: r.stdout };
}

interface DeviceFigures { boot: JerryStatus["heap"]; paired: JerryStatus["heap"]; session: JerryStatus["heap"]; pairMs: number; sessionMs: number }

async function deviceRun(port: JerryPort, boardPath: string, dir: string): Promise<DeviceFigures> {
  const snapshot = buildSnapshot(port);
  const flashPath = join(dir, "flash.bin"), secretPath = join(dir, "secret.bin"), commDir = join(dir, "comm-" + Math.random().toString(36).slice(2));
  writeFileSync(secretPath, randomBytes(32));
  rmSync(flashPath, { force: true });
  const boot = () => JerryDevice.boot({ port, snapshot, flashPath, secretPath, setupCode: CODE, boardPath, heapKb: 64 });
  let dev = await boot();
  let id = "", pairMs = 0, sessionMs = 0;
  let bootHeap: JerryStatus["heap"], paired: JerryStatus["heap"];
  try {
    await dev.waitGate();
    bootHeap = (await dev.status()).heap;
  } finally {
    await dev.kill();
  }
  // Paired from a second boot: its peak is boot + pairing, without the first boot's seed shred
  // (jerry_heap_stats' peak is a high-water mark since the engine started).
  dev = await boot();
  try {
    await dev.waitGate();
    await dev.press(250);
    await dev.seenOrWait((l) => /commissioning window opened/.test(l), "the window");
    const st = await openCommissionerState(commDir);
    try {
      const r = await commission({ code: CODE, device: dev.url, state: st, out: () => {} });
      id = r.record.id;
      pairMs = r.ms.pairing;
    } finally {
      await st.close();
    }
    paired = (await dev.status()).heap;
  } finally {
    await dev.kill();
  }
  dev = await boot();
  try {
    await dev.waitGate();
    const st = await openCommissionerState(commDir);
    const t0 = performance.now();
    try {
      await runSession({ device: dev.url, id, state: st, messages: [{ kind: "echo", text: "bench one" }, { kind: "echo", text: "bench two" }], out: () => {} });
    } finally {
      await st.close();
    }
    sessionMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 50));
    const session = (await dev.status()).heap;
    return { boot: bootHeap, paired, session, pairMs, sessionMs };
  } finally {
    await dev.kill();
  }
}

export async function run(): Promise<BenchRow[]> {
  const port = buildPort();
  const rows: BenchRow[] = [];
  const sec1 = "JerryScript port: crypto image and workload (64 KB heap), beside QuickJS";
  const crypto = readFileSync(join(DIST, "firstlight-crypto.js"), "utf8");
  const set = buildSnapshotSet(port, "bench-crypto", [{ name: "image", source: crypto }, { name: "workload", source: `print(${MEMORY_WORKLOAD});` }]);
  const loaded = scriptHeap(port, set.literals, [set.snapshots[0]]);
  const work = scriptHeap(port, set.literals, set.snapshots);
  if (!/^ok$/m.test(work.out)) throw new Error("the crypto workload failed on JerryScript: " + work.out);
  const q = await heapProfile(crypto);
  rows.push({ section: sec1, engine: "jerryscript", name: "crypto image loaded (static snapshot), live", value: loaded.allocated, unit: "B", peers: [{ name: "quickjs", value: q.image }], note: "QuickJS keeps bytecode in its heap; the snapshot's stays in flash" });
  rows.push({ section: sec1, engine: "jerryscript", name: "crypto workload, peak above the loaded image", value: work.peak - loaded.allocated, unit: "B", peers: [{ name: "quickjs", value: q.working }] });

  const sec2 = "JerryScript port: the device on a 64 KB heap (jerry_heap_stats)";
  const dir = mkdtempSync(join(tmpdir(), "firstlight-jerry-bench-"));
  try {
    const board = JSON.parse(readFileSync(JERRY_BOARD_FILE, "utf8"));
    const portableBoard = join(dir, "nrf52840-jerry-portable.json");
    writeFileSync(portableBoard, JSON.stringify({ ...board, accel: { x25519: "portable", sha2: "portable" } }));
    const native = await deviceRun(port, JERRY_BOARD_FILE, dir);
    const portable = await deviceRun(port, portableBoard, dir);
    const both = (name: string, unit: string, f: (d: DeviceFigures) => number, note?: string) =>
      rows.push({ section: sec2, engine: "jerryscript" + (port.accel ? "+native-kernel" : ""), name, value: f(native), unit, peers: [{ name: "portable", value: f(portable) }], note });
    both("boot and gate open (the first-life seed shred), peak", "B", (d) => d.boot.peak, "of 65 528 B");
    both("after boot and gate, live", "B", (d) => d.boot.allocated);
    both("reboot to paired (boot, gate, pairing), peak", "B", (d) => d.paired.peak, "of 65 528 B");
    both("paired, live", "B", (d) => d.paired.allocated);
    both("reboot to session end, peak", "B", (d) => d.session.peak, "of 65 528 B");
    both("after the session, live", "B", (d) => d.session.allocated);
    both("pairing, wall time", "ms", (d) => d.pairMs, "commissioner's view, loopback TCP");
    both("session (handshake + 2 echoes), wall time", "ms", (d) => d.sessionMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const sec3 = "JerryScript port: the device image";
  const snap = buildSnapshot(port);
  rows.push({ section: sec3, engine: "jerryscript", name: "static snapshot", value: snap.snapshotBytes, unit: "B", peers: [{ name: "ES5 source", value: snap.sourceBytes }] });
  rows.push({ section: sec3, engine: "jerryscript", name: "snapshot + literal table (flash)", value: snap.snapshotBytes + snap.literalsBytes, unit: "B", peers: [{ name: "ES5 source", value: snap.sourceBytes }] });
  return rows;
}
