/**
 * Variables (JsVars) a board image uses on the real Espruino interpreter, run from Storage as a
 * board runs it: the `espruino` build (variables unlimited) writes the image to Storage as
 * `.bootcde` with the owner's options file, in pieces read from the host file (so the text never
 * sits in variables); then the chosen build boots it with a probe that runs `.bootcde` exactly as
 * `load()` does and reports `process.memory().usage` (live variables after a garbage collection)
 * at each phase:
 *   load   right after the image ran (drivers built, first-boot entropy gathering started)
 *   boot   the device started (root made, store opened, audit trail verified)
 *   gate   the entropy gate open
 * and the peak sampled every 100 ms between event-loop ticks (a peak inside one tick, such as
 * an X25519, is not seen). The espruino-linux board's link listens on TCP, so the probe runs in
 * a private network namespace where it may (linux-device.node.ts, canUnshare). With `noOptions`
 * the owner's options file is not written: the image loads, says why it does not start, and
 * "load" is what the image alone costs.
 *
 *   const r = await measureBoot({ image, binary: "espruino-v12000" });
 *   // { ok: true, phases: { load: 4700, boot: 6100, gate: 6400 }, peak: 6500, total: 12000 }
 *   // or { ok: false, error: "LOW_MEMORY,MEMORY", at: "load", ... } when the build runs out
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canUnshare, espruinoBinary } from "./linux-device.node.ts";

export interface MemoryResult {
  ok: boolean;
  /** Variables in use (after a collection) when each phase was reached. */
  phases: { load?: number; boot?: number; gate?: number };
  /** Highest usage sampled from load to the end. */
  peak: number;
  /** The build's variable count (its `total` once the probe ran). */
  total: number;
  /** Espruino's complaint (LOW_MEMORY, an uncaught error) or why the probe stopped. */
  error?: string;
  /** The last phase reached; "load" also when the build failed while the image was loading. */
  at?: string;
  lines: string[];
}

/** Writes `image` as `.bootcde` and `options` (unless null) as firstlight.json, in 1 KB pieces from the host file. */
function loaderScript(image: string, options: string | null): string {
  return `var S=require("Storage");
function put(name,path){var f=E.openFile(path,"r"),size=0,c;while((c=f.read(4096)))size+=c.length;f.close();
f=E.openFile(path,"r");var off=0;while((c=f.read(1024))){S.write(name,c,off,size);off+=c.length;}f.close();return off;}
var n=put(".bootcde",${JSON.stringify(image)});
${options === null ? "" : `S.write("firstlight.json",${JSON.stringify(options)});`}
print("LOADER "+n);
`;
}

/** Runs `.bootcde` as load() does, then reports the phases and the peak as MEMPROBE lines. */
const PROBE = `var memPeak=0,memPhase="";
function memNow(){var m=process.memory();if(m.usage>memPeak)memPeak=m.usage;return m;}
function memSay(p){var m=memNow();memPhase=p;print("MEMPROBE "+JSON.stringify({phase:p,usage:m.usage,total:m.total,peak:memPeak}));}
eval(require("Storage").read(".bootcde"));
memSay("load");
var memTimer=setInterval(function(){
  memNow();
  var s=firstlight.board.status();
  if(memPhase==="load"&&s&&s.state!=="first-boot")memSay("boot");
  if(memPhase==="boot"&&s&&s.entropy&&s.entropy.state==="ready"){memSay("gate");clearInterval(memTimer);print("MEMPROBE-END");}
  if(firstlight.board.problem){print("MEMPROBE-PROBLEM "+firstlight.board.problem);clearInterval(memTimer);}
},100);
`;

function run(binary: string, dir: string, file: string, timeoutMs: number, netns: boolean, until: RegExp): Promise<string[]> {
  return new Promise((res) => {
    const bin = espruinoBinary(binary);
    const cmd = netns ? ["unshare", "-n", "sh", "-c", `ip link set lo up && exec "$0" "$1"`, bin, file] : [bin, file];
    const c = spawn(cmd[0], cmd.slice(1), { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let buf = "";
    const stop = () => { if (c.exitCode === null) c.kill("SIGKILL"); };
    const t = setTimeout(stop, timeoutMs);
    const on = (d: Buffer) => {
      buf += d.toString("latin1");
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        // Espruino pads error pointers with long runs of spaces; they carry nothing.
        const l = buf.slice(0, i).replace(/\r/g, "").replace(/\x1b\[J/g, "").replace(/ {4,}/g, " ").trimEnd();
        buf = buf.slice(i + 1);
        if (l.trim() === "^" || l === "") continue;
        lines.push(l);
        if (until.test(l)) stop();
      }
    };
    c.stdout!.on("data", on);
    c.stderr!.on("data", on);
    c.on("exit", () => { clearTimeout(t); res(lines); });
  });
}

/**
 * Boots `image` (a board image file) from Storage on `binary` and measures it (see the top of
 * this file). `timeoutMs` bounds the boot and the gate: on the Linux build code run from Storage
 * is slow (a first boot makes the device root and the identity key).
 */
export async function measureBoot(o: { image: string; binary: string; setupCode?: string; timeoutMs?: number; noOptions?: boolean }): Promise<MemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-espmem-"));
  try {
    writeFileSync(join(dir, "loader.js"), loaderScript(o.image, o.noOptions ? null : JSON.stringify({ setupCode: o.setupCode ?? "31415926" })));
    writeFileSync(join(dir, "probe.js"), PROBE);
    const loaded = await run("espruino", dir, "loader.js", 60000, false, /^LOADER \d+/);
    if (!loaded.some((l) => /^LOADER \d+/.test(l))) return { ok: false, phases: {}, peak: 0, total: 0, error: "the loader did not write .bootcde: " + loaded.slice(-3).join(" | "), lines: loaded };
    const lines = await run(o.binary, dir, "probe.js", o.timeoutMs ?? 300000, canUnshare(), /^MEMPROBE-(END|PROBLEM)|MEMORY|Uncaught/);
    const r: MemoryResult = { ok: false, phases: {}, peak: 0, total: 0, lines };
    for (const l of lines) {
      const m = /MEMPROBE (\{.*\})$/.exec(l); // a REPL prompt may come glued before it
      if (!m) continue;
      const p = JSON.parse(m[1]) as { phase: "load" | "boot" | "gate"; usage: number; total: number; peak: number };
      r.phases[p.phase] = p.usage;
      r.peak = p.peak;
      r.total = p.total;
      r.at = p.phase;
    }
    const bad = lines.find((l) => /MEMORY|Uncaught|MEMPROBE-PROBLEM/.test(l));
    if (bad && r.at === undefined) r.at = "load";
    if (bad) r.error = bad.trim();
    else if (r.phases.gate === undefined) r.error = "no gate within " + (o.timeoutMs ?? 300000) / 1000 + " s";
    r.ok = !r.error && r.phases.gate !== undefined;
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
