/**
 * A whole pairing on the JerryScript port (nrf52840-jerry's board file: the whole native kernel)
 * under callgrind, for the bench's cross-check of its estimate (docs/engines.md, "Estimating
 * device-side time"): the device boots once plainly (the first-life seed shred), then again under
 * valgrind with instrumentation off; the button opens the window, instrumentation goes on
 * (`callgrind_control -i on`) just before the commissioner connects and the counts are dumped when
 * the pairing has ended. Everything the device process does for the pairing is counted: the
 * interpreter, framing, TLV, the store's flash writes (user space of the POSIX platform), and the
 * kernel's C, which is then taken out by its entry functions' inclusive cost.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commission, openCommissionerState } from "../commissioner/cli.node.ts";
import { buildPort, buildSnapshot } from "../ports/jerryscript/host/build.node.ts";
import { JerryDevice } from "../ports/jerryscript/host/device.node.ts";

const CODE = "20202021";
const SLOW = 900_000;

export interface JerryPairingWork {
  /** x86-64 instructions of the device process during the pairing. */
  total: number;
  /** Of which inside the kernel's entry functions (inclusive). */
  kernel: number;
}

function control(pid: number, args: string[]): void {
  const r = spawnSync("callgrind_control", [...args, String(pid)], { encoding: "utf8", timeout: SLOW });
  if (r.status !== 0) throw new Error(`callgrind_control ${args.join(" ")} failed: ${r.stdout}${r.stderr}`);
}

/** Total and the kernel entries' inclusive instructions of one dump. */
function readDump(file: string, entries: string[]): JerryPairingWork {
  const r = spawnSync("callgrind_annotate", ["--inclusive=yes", "--threshold=100", file], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error("callgrind_annotate failed: " + r.stderr);
  const total = /^([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS/m.exec(r.stdout);
  if (!total) throw new Error("no totals in the dump:\n" + r.stdout.slice(0, 1000));
  let kernel = 0;
  for (const line of r.stdout.split("\n")) {
    const m = /^\s*([\d,]+)\s+\([\d.]+%\)\s+\S*?:(fl_\w+)\b/.exec(line);
    if (m && entries.includes(m[2])) kernel += Number(m[1].replace(/,/g, ""));
  }
  return { total: Number(total[1].replace(/,/g, "")), kernel };
}

export async function jerryPairingWork(entries: string[]): Promise<JerryPairingWork> {
  const port = buildPort();
  const snapshot = buildSnapshot(port);
  const dir = mkdtempSync(join(tmpdir(), "fl-jerry-pairing-"));
  try {
    const flashPath = join(dir, "flash.bin"), secretPath = join(dir, "secret.bin");
    writeFileSync(secretPath, randomBytes(32));
    const base = { port, snapshot, flashPath, secretPath, setupCode: CODE, heapKb: 64, windowMs: SLOW };
    let dev = await JerryDevice.boot(base);
    try {
      await dev.waitGate();
    } finally {
      await dev.kill();
    }
    const out = join(dir, "callgrind.out");
    dev = await JerryDevice.boot({ ...base, wrap: ["valgrind", "--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${out}`] }, SLOW);
    try {
      await dev.waitGate(SLOW);
      await dev.press(1500);
      await dev.seenOrWait((l) => /commissioning window opened/.test(l), "the window", SLOW);
      const st = await openCommissionerState(join(dir, "comm"));
      control(dev.pid!, ["-i", "on"]);
      try {
        await commission({ code: CODE, device: dev.url, state: st, out: () => {}, stepTimeoutMs: SLOW });
      } finally {
        await st.close();
      }
      control(dev.pid!, ["-d"]);
    } finally {
      await dev.kill();
    }
    const dump = readdirSync(dir).filter((f) => f.startsWith("callgrind.out")).sort().map((f) => join(dir, f)).find((f) => /\.1$/.test(f));
    if (!dump) throw new Error("no callgrind dump: " + readdirSync(dir).join(", "));
    return readDump(dump, entries);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
