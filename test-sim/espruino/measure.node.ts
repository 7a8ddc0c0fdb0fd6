/**
 * Device-side cost of one pairing and one session (Noise KK + 2 echoes) on the Espruino Linux build,
 * for bench/espruino.bench.ts: the espruino-linux image flashed over telnet, then run on a RAM boot
 * of its flash file (story.node.ts BootFrom) on `espruino`:
 *  - under callgrind with instrumentation off until the step starts (`callgrind_control -i on`),
 *    each step's x86-64 instructions dumped when it ends (`callgrind_control -d`): boot, gate and
 *    idle time are not counted; the commissioner runs outside (Node);
 *  - without valgrind: each step's wall time (the commissioner's share, on Node, is milliseconds).
 * Must run inside a private network namespace (linux-device.node.ts runInNetns).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LINK_URL, bootWorld, cli, disposeWorld, flashWorld, newWorld, press, waitEntropy, waitUnpaired, type EspruinoWorld } from "./story.node.ts";

export interface Measured { pairingMs: number; sessionMs: number; pairingInstr: number; sessionInstr: number }

const CODE = "31415926";
/** Commissioner step timeout (s): under callgrind one device turn of a session took over 600 s on a loaded host. */
const TIMEOUT_S = "3600";
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

async function pair(w: EspruinoWorld): Promise<string> {
  await press(w);
  const p = await cli(w, ["--code", CODE, "--device", LINK_URL, "--timeout", TIMEOUT_S]);
  const id = (p.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1];
  if (p.code !== 0 || !id) throw new Error("pairing failed:\n  " + p.out.join("\n  "));
  return id;
}

async function session(w: EspruinoWorld, id: string, extra: string[] = []): Promise<void> {
  const s = await cli(w, [...SESSION(id), ...extra]);
  if (s.code !== 0 || !s.out.some((l) => /bench two/.test(l))) throw new Error("session failed:\n  " + s.out.join("\n  "));
}

export async function measure(say: (l: string) => void): Promise<Measured> {
  const w = newWorld("espruino-v12000");
  try {
    await flashWorld(w, CODE);
    await waitEntropy(w);
    // Instructions: the device under callgrind, counting only while a step runs.
    await bootWorld(w, "ram", ["valgrind", "--tool=callgrind", "--instr-atstart=no", `--callgrind-out-file=${join(w.dir, "callgrind.out")}`]);
    await waitEntropy(w, 900000);
    const seen = new Set<string>();
    control(w, ["-i", "on"]);
    const id = await pair(w);
    control(w, ["-d"]);
    const pairingInstr = lastDump(w, seen);
    say(`callgrind: pairing ${pairingInstr} instructions`);
    control(w, ["-z"]);
    await session(w, id);
    control(w, ["-d"]);
    const sessionInstr = lastDump(w, seen);
    say(`callgrind: session ${sessionInstr} instructions`);
    // Wall time: the same steps without valgrind (the session first, while paired).
    await bootWorld(w, "ram");
    await waitEntropy(w);
    let t = Date.now();
    await session(w, id);
    const sessionMs = Date.now() - t;
    await session(w, id, ["--decommission"]);
    await waitUnpaired(w);
    await waitEntropy(w);
    t = Date.now();
    await pair(w);
    const pairingMs = Date.now() - t;
    say(`wall: pairing ${pairingMs} ms, session ${sessionMs} ms`);
    return { pairingMs, sessionMs, pairingInstr, sessionInstr };
  } finally {
    await disposeWorld(w);
  }
}
