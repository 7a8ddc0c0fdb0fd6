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
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  /** Per entry function: [calls, inclusive instructions]. */
  byEntry: Record<string, [number, number]>;
}

function control(pid: number, args: string[]): void {
  const r = spawnSync("callgrind_control", [...args, String(pid)], { encoding: "utf8", timeout: SLOW });
  if (r.status !== 0) throw new Error(`callgrind_control ${args.join(" ")} failed: ${r.stdout}${r.stderr}`);
}

/** How many times a function was called in a dump (the "calls=" lines under "cfn=(id) name"). */
function calls(file: string, fn: string): number {
  const text = readFileSync(file, "utf8");
  const ids = new Set<string>();
  for (const m of text.matchAll(/^c?fn=\((\d+)\)(?: (\S+))?$/gm)) if (m[2] === fn) ids.add(m[1]);
  let n = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length - 1; i++) {
    const m = /^cfn=\((\d+)\)/.exec(lines[i]);
    const c = m && ids.has(m[1]) ? /^calls=(\d+)/.exec(lines[i + 1]) : null;
    if (c) n += Number(c[1]);
  }
  return n;
}

/** Total and the kernel entries' inclusive instructions of one dump. */
export function readDump(file: string, entries: string[]): JerryPairingWork {
  const r = spawnSync("callgrind_annotate", ["--inclusive=yes", "--threshold=100", file], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error("callgrind_annotate failed: " + r.stderr);
  const total = /^([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS/m.exec(r.stdout);
  if (!total) throw new Error("no totals in the dump:\n" + r.stdout.slice(0, 1000));
  let kernel = 0;
  const byEntry: Record<string, [number, number]> = {};
  // The function list comes first, one line per file:function; the auto-annotated source after it repeats names.
  const list = r.stdout.split(/^-+\nIr\s+file:function\n-+$/m)[1]?.split(/\n-{20,}/)[0] ?? "";
  for (const line of list.split("\n")) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+\S*?:(fl_\w+) \[/.exec(line);
    if (m && entries.includes(m[2]) && byEntry[m[2]] === undefined) {
      const n = Number(m[1].replace(/,/g, ""));
      kernel += n;
      byEntry[m[2]] = [calls(file, m[2]), n];
    }
  }
  return { total: Number(total[1].replace(/,/g, "")), kernel, byEntry };
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
    if (process.env.FL_KEEP_DUMP) copyFileSync(dump, process.env.FL_KEEP_DUMP);
    return readDump(dump, entries);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
