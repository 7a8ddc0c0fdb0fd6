/**
 * A NodeMCU board image on the simulated NodeMCU (test-sim/nodemcu/sim/run.lua) as a child
 * process: its console lines, its stdin commands (press, status, mem), and a power cut (SIGKILL).
 * The flash directory outlives the process, so the next start boots from what this one left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { DIST, ROOT } from "../../build/paths.ts";
import type { LuaVersion } from "../engines/lua.ts";
import { freePort } from "../free-port.ts";
export { freePort };

export const NODEMCU_BOARD = "nodemcu-esp8266";
export const NODEMCU_IMAGE = join(DIST, `firstlight-board-${NODEMCU_BOARD}.lua`);
export const NODEMCU_RUNNER = join(ROOT, "test-sim/nodemcu/sim/run.lua");


export interface NodeMcuDevice {
  lines: string[];
  /** Resolves with the first line from index `from` on that matches (now or later). */
  waitLog(re: RegExp, timeoutMs: number, from?: number): Promise<string>;
  /** Sends a command and resolves with its answer (the first new line matching `answer`). */
  ask(command: string, answer: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGKILL: a power cut. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export interface DeviceStatusLine { state: string; paired: boolean; entropy: string; failed: number; problem?: string }

/**
 * `gcPause`: FL_GC_PAUSE, Lua's collectgarbage("setpause", N); `narrow`: FL_NARROW, the runtime's
 * 32-bit-integer path that NodeMCU's Lua 5.3 build takes (test-sim/nodemcu/sim/run.lua).
 */
export function startNodeMcu(o: { lua: LuaVersion; flashDir: string; code: string; port: number; windowMs?: number; image?: string; gcPause?: number; narrow?: boolean }): NodeMcuDevice {
  const args = [NODEMCU_RUNNER, o.image ?? NODEMCU_IMAGE, o.flashDir, o.code, String(o.port)];
  if (o.windowMs) args.push(String(o.windowMs));
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (o.gcPause) env.FL_GC_PAUSE = String(o.gcPause);
  if (o.narrow) env.FL_NARROW = "1";
  const child: ChildProcess = spawn("lua" + o.lua, args, { stdio: ["pipe", "pipe", "pipe"], env });
  const lines: string[] = [];
  const waiters: { re: RegExp; from: number; resolve: (l: string) => void }[] = [];
  let tail = "";
  const take = (d: Buffer) => {
    tail += d.toString("latin1");
    const parts = tail.split("\n");
    tail = parts.pop() ?? "";
    for (const l of parts) {
      lines.push(l);
      for (const w of [...waiters]) {
        if (lines.length - 1 >= w.from && w.re.test(l)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(l);
        }
      }
    }
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const waitLog = (re: RegExp, timeoutMs: number, from = 0): Promise<string> => {
    const hit = lines.slice(from).find((l) => re.test(l));
    if (hit !== undefined) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const w = { re, from, resolve: (l: string) => { clearTimeout(timer); resolve(l); } };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error(`no line matching ${re} within ${timeoutMs / 1000} s; the device said:\n  ` + lines.slice(-30).join("\n  ")));
      }, timeoutMs);
      waiters.push(w);
      void exited.then(() => {
        if (!waiters.includes(w)) return;
        setTimeout(() => {
          if (!waiters.includes(w)) return;
          waiters.splice(waiters.indexOf(w), 1);
          clearTimeout(timer);
          reject(new Error(`the device exited before ${re}:\n  ` + lines.slice(-30).join("\n  ")));
        }, 50);
      });
    });
  };
  return {
    lines,
    waitLog,
    ask(command, answer, timeoutMs = 30000) {
      const from = lines.length;
      child.stdin!.write(command + "\n");
      return waitLog(answer, timeoutMs, from);
    },
    async kill() {
      if (!gone) child.kill("SIGKILL");
      await exited;
    },
    exited,
  };
}

/** The device's `status` line, parsed. */
export async function nodemcuStatus(d: NodeMcuDevice): Promise<DeviceStatusLine> {
  const l = await d.ask("status", /^status /);
  const f = Object.fromEntries(l.slice(7).split(" ").map((kv) => kv.split("=")));
  if (f.problem) return { state: "refused", paired: false, entropy: "", failed: 0, problem: l.slice(15) };
  return { state: f.state, paired: f.paired === "true", entropy: f.entropy, failed: Number(f.failed) };
}

/** A full collection, then a new peak from there: the count after it and what the loaded image holds (KB). */
export async function nodemcuMemoryReset(d: NodeMcuDevice): Promise<{ nowKb: number; imageKb: number }> {
  const l = await d.ask("mem reset", /^mem reset /);
  const m = /now=([\d.]+) image=([\d.]+)/.exec(l)!;
  return { nowKb: Number(m[1]), imageKb: Number(m[2]) };
}

/** What is reachable after a full collection (test-sim/nodemcu/sim/run.lua `census`). */
export async function nodemcuCensus(d: NodeMcuDevice): Promise<Record<string, number>> {
  const l = await d.ask("census", /^census /);
  return Object.fromEntries(l.slice(7).split(" ").map((kv) => { const [k, v] = kv.split("="); return [k, Number(v)]; }));
}

/** Peak and current collectgarbage("count") in KB since the last `mem reset`. */
export async function nodemcuMemory(d: NodeMcuDevice): Promise<{ peakKb: number; nowKb: number }> {
  const l = await d.ask("mem", /^mem peak=/);
  const m = /peak=([\d.]+) now=([\d.]+)/.exec(l)!;
  return { peakKb: Number(m[1]), nowKb: Number(m[2]) };
}
