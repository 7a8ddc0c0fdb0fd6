/**
 * Device-side cost of one pairing and one session (Noise KK + 2 echoes) on the Espruino Linux build,
 * for bench/espruino.bench.ts: the espruino-linux image flashed over telnet, then run on a RAM boot
 * of its flash file (story.node.ts BootFrom) on `espruino`:
 *  - without valgrind: each step's wall time (the commissioner's share, on Node, is milliseconds);
 *  - each step in its own process under callgrind (the session from the paired flash file, the
 *    pairing from a freshly flashed one, in two runs at once), with instrumentation off until the step starts (`callgrind_control -i on`) and its
 *    x86-64 instructions dumped when it ends (`callgrind_control -d`): boot, gate and idle time are
 *    not counted; the commissioner runs outside (Node).
 * Must run inside a private network namespace (linux-device.node.ts runInNetns).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LINK_URL, bootWorld, cli, disposeWorld, flashWorld, flashWorldByFile, newWorld, press, waitEntropy, type EspruinoWorld } from "./story.node.ts";

export interface Measured {
  pairingMs: number;
  sessionMs: number;
  /** NaN when the callgrind run failed; `errors` says why. */
  sessionInstr: number;
  errors: string[];
}

const CODE = "31415926";
/**
 * Commissioner step timeout (s) under callgrind, the CLI's maximum: one device turn of a session
 * (the KK responder's five X25519s) runs about 20 G instructions, over 600 s under callgrind on a
 * loaded host.
 */
const TIMEOUT_S = "3600";
const VALGRIND = (w: EspruinoWorld, n: string) => ["valgrind", "--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${join(w.dir, "callgrind.out." + n)}`];
const SESSION = (id: string) => ["session", "--device", LINK_URL, "--id", id, "--echo", "bench one", "--echo", "bench two", "--timeout", TIMEOUT_S];

function control(w: EspruinoWorld, args: string[]): void {
  const r = spawnSync("callgrind_control", [...args, String(w.device!.proc.pid)], { cwd: w.dir, encoding: "utf8", timeout: 600000 });
  if (r.status !== 0) throw new Error(`callgrind_control ${args.join(" ")} failed: ${r.stdout}${r.stderr}`);
}

/** The `summary:` (or `totals:`) of the newest callgrind dump in the world's directory. */
function lastDump(w: EspruinoWorld, seen: Set<string>): number {
  const f = readdirSync(w.dir).filter((n) => n.startsWith("callgrind.out") && !seen.has(n)).sort().pop();
  if (!f) throw new Error("no callgrind dump in " + w.dir);
  seen.add(f);
  const m = readFileSync(join(w.dir, f), "utf8").match(/^(?:summary|totals):\s*(\d+)/m);
  if (!m) throw new Error(`no totals in ${f}`);
  return Number(m[1]);
}

async function pair(w: EspruinoWorld, underValgrind = false): Promise<string> {
  await press(w, 250, underValgrind ? 600000 : 30000);
  const p = await cli(w, ["--code", CODE, "--device", LINK_URL, "--timeout", TIMEOUT_S]);
  const id = (p.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1];
  if (p.code !== 0 || !id) throw new Error("pairing failed:\n  " + p.out.join("\n  "));
  return id;
}

async function session(w: EspruinoWorld, id: string, extra: string[] = []): Promise<void> {
  const s = await cli(w, [...SESSION(id), ...extra]);
  if (s.code !== 0 || !s.out.some((l) => /bench two/.test(l))) throw new Error("session failed:\n  " + s.out.join("\n  "));
}

/**
 * Runs `step` on a RAM boot under callgrind with instrumentation on only while it runs (the boot,
 * the gate and the time before are not counted); returns its instructions.
 */
async function underCallgrind(w: EspruinoWorld, name: string, step: () => Promise<unknown>): Promise<number> {
  await bootWorld(w, "ram", VALGRIND(w, name));
  await waitEntropy(w, 900000);
  const seen = new Set(readdirSync(w.dir).filter((n) => n.startsWith("callgrind.out")));
  control(w, ["-i", "on"]);
  await step();
  control(w, ["-d"]);
  return lastDump(w, seen);
}

/**
 * Wall times first (a RAM boot without valgrind: pairing, then a session), then the session in its
 * own callgrind process started from the paired flash file. A failed callgrind run leaves its
 * figure NaN and says why; the wall times stand. The pairing's instructions are
 * measurePairingInstr's, in a run of its own (the bench runs both at once).
 */
/** The pairing under callgrind alone, from a freshly flashed file (the bench's second figure, in its own run). */
export async function measurePairingInstr(say: (l: string) => void): Promise<number> {
  const w = newWorld("espruino-v12000");
  try {
    await flashWorldByFile(w, CODE);
    // The first boot (device root, first-life shred) on a plain RAM boot: not the pairing's cost.
    await bootWorld(w, "ram");
    await waitEntropy(w);
    const n = await underCallgrind(w, "pairing", () => pair(w, true));
    say(`callgrind: pairing ${n} instructions`);
    return n;
  } finally {
    await disposeWorld(w);
  }
}

export async function measure(say: (l: string) => void): Promise<Measured> {
  const w = newWorld("espruino-v12000");
  const errors: string[] = [];
  try {
    await flashWorld(w, CODE);
    await waitEntropy(w);
    await bootWorld(w, "ram");
    await waitEntropy(w);
    let t = Date.now();
    let id = await pair(w);
    const pairingMs = Date.now() - t;
    t = Date.now();
    await session(w, id);
    const sessionMs = Date.now() - t;
    say(`wall: pairing ${pairingMs} ms, session ${sessionMs} ms`);
    let sessionInstr = NaN;
    try {
      sessionInstr = await underCallgrind(w, "session", () => session(w, id));
      say(`callgrind: session ${sessionInstr} instructions`);
    } catch (e) {
      errors.push("session under callgrind: " + String((e as Error).message ?? e).slice(0, 300));
    }
    return { pairingMs, sessionMs, sessionInstr, errors };
  } finally {
    await disposeWorld(w);
  }
}
