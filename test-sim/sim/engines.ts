/**
 * The engines a simulated device runs on, behind one call: `call(method, arg)` evaluates
 * `firstlight.sim[method](arg)` inside the engine and resolves with its string answer. Only strings
 * cross (hex bytes, ASCII JSON; see firmware/images/sim.ts), so the three engines cost the same:
 *
 *   node     a fresh `vm` context; the call is a direct function call.
 *   quickjs  quickjs-emscripten in-process (wasm) with a heap limit; the call is one evalCode.
 *   duk      one long-lived `duk -i SCRIPTS…` process: after the scripts, Duktape's REPL reads
 *            stdin a line at a time, so each call is one line written and one marked line read
 *            back. (No replay is needed: `duk` does read stdin in interactive mode.)
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { createContext, runInContext } from "node:vm";
import { QuickJsSession } from "../engines/quickjs.ts";
import { toolAvailable } from "../engines/tools.ts";

export type EngineName = "node" | "quickjs" | "duk";
export const ENGINES: EngineName[] = ["node", "quickjs", "duk"];
export type SimMethod = "boot" | "step" | "flashHex" | "hasDevice" | "stop";

export interface SimEngine {
  readonly name: EngineName;
  call(method: SimMethod, arg?: string): Promise<string>;
  /** What the scripts printed outside the bridge (`print`), line by line. */
  readonly stray: string[];
  close(): Promise<void>;
}

export interface EngineOptions {
  /** QuickJS heap limit in bytes (default 64 MiB). */
  memoryLimit?: number;
  /** Duktape: how long one call may take before the process is killed (default 120 s). */
  callTimeoutMs?: number;
  /** Duktape: a command the `duk` process runs under, e.g. valgrind's (the bench counts instructions). */
  dukWrapper?: string[];
}

/** Escapes everything outside printable ASCII, so the literal survives a line-based pipe and ES5's string grammar. */
export function jsStringLiteral(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

function callExpression(method: SimMethod, arg?: string): string {
  return `String(firstlight.sim.${method}(${arg === undefined ? "" : jsStringLiteral(arg)}))`;
}

export function dukAvailable(): boolean {
  return toolAvailable("duk");
}

/** Opens `name` with the script files evaluated in order (e.g. the device image, then the sim image). */
export async function openEngine(name: EngineName, files: string[], o: EngineOptions = {}): Promise<SimEngine> {
  if (name === "node") return openNode(files);
  if (name === "quickjs") return openQuickJs(files, o);
  if (name === "duk") return openDuk(files, o);
  throw new Error(`unknown engine ${JSON.stringify(name)} (node, quickjs or duk)`);
}

function openNode(files: string[]): SimEngine {
  const stray: string[] = [];
  const sandbox: Record<string, any> = { print: (...a: unknown[]) => stray.push(a.map(String).join(" ")) };
  const ctx = createContext(sandbox);
  for (const f of files) runInContext(readFileSync(f, "utf8"), ctx, { filename: f });
  return {
    name: "node",
    stray,
    call: async (method, arg) => {
      const sim = sandbox.firstlight?.sim;
      if (!sim) throw new Error("node: the scripts did not define firstlight.sim");
      return String(arg === undefined ? sim[method]() : sim[method](arg));
    },
    close: async () => {},
  };
}

async function openQuickJs(files: string[], o: EngineOptions): Promise<SimEngine> {
  const s = await QuickJsSession.open({ memoryLimit: o.memoryLimit ?? 64 * 1024 * 1024 });
  try {
    for (const f of files) s.eval(readFileSync(f, "utf8"), f);
  } catch (e) {
    s.close();
    throw e;
  }
  let closed = false;
  return {
    name: "quickjs",
    stray: s.lines,
    call: async (method, arg) => {
      if (closed) throw new Error("quickjs: the engine is closed");
      return s.eval(callExpression(method, arg), "bridge.js");
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try { s.close(); } catch { /* a runtime that hit its limit may refuse to free cleanly */ }
    },
  };
}

const MARK = "@@firstlight-sim@@";

/** A call's reply line: the marker and a JSON object { v } or { e }. */
function dukLine(method: SimMethod, arg?: string): string {
  return `try{print(${JSON.stringify(MARK)}+JSON.stringify({v:${callExpression(method, arg)}}))}catch(e){print(${JSON.stringify(MARK)}+JSON.stringify({e:String(e&&e.stack||e)}))}\n`;
}

async function openDuk(files: string[], o: EngineOptions): Promise<SimEngine> {
  const argv = [...(o.dukWrapper ?? []), "duk", "-i", ...files];
  const child: ChildProcessWithoutNullStreams = spawn(argv[0], argv.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
  const stray: string[] = [];
  const waiting: { resolve: (v: string) => void; reject: (e: Error) => void; method: string }[] = [];
  let buf = "", stderr = "", dead: Error | null = null;
  const timeoutMs = o.callTimeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | null = null;

  const armTimer = () => {
    if (timer) clearTimeout(timer);
    timer = waiting.length ? setTimeout(() => die(new Error(`duk: no answer to ${waiting[0].method} after ${timeoutMs} ms`)), timeoutMs) : null;
  };
  const die = (e: Error) => {
    if (!dead) dead = e;
    for (const w of waiting.splice(0)) w.reject(dead);
    if (timer) clearTimeout(timer);
    timer = null;
    if (child.exitCode === null) child.kill("SIGKILL");
  };

  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => (stderr += d));
  child.stdout.on("data", (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const raw = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const line = raw.replace(/^(duk> )+/, "");
      const at = line.indexOf(MARK);
      if (at >= 0) {
        const w = waiting.shift();
        armTimer();
        if (!w) continue;
        const r = JSON.parse(line.slice(at + MARK.length)) as { v?: string; e?: string };
        if (r.e !== undefined) w.reject(new Error(`duk: ${w.method}: ${r.e}`));
        else w.resolve(r.v as string);
      } else if (!/^= /.test(line) && !/^\(\(o\) Duktape/.test(line) && line !== "") {
        stray.push(line);
      }
    }
  });
  child.on("error", (e) => die(new Error("duk: " + e.message)));
  child.on("close", (code) => die(new Error(`duk exited (${code})${stderr.trim() ? ": " + stderr.trim() : ""}`)));

  const call = (method: SimMethod, arg?: string): Promise<string> => {
    if (dead) return Promise.reject(dead);
    return new Promise((resolve, reject) => {
      waiting.push({ resolve, reject, method });
      if (waiting.length === 1) armTimer();
      child.stdin.write(dukLine(method, arg));
    });
  };

  // The scripts ran before the first prompt; an error in one of them shows in `stray`.
  const probe = await call("hasDevice").catch((e: Error) => e);
  if (probe instanceof Error) {
    die(probe);
    throw new Error(`duk could not load ${files.join(", ")}: ${probe.message}${stray.length ? "\n" + stray.join("\n") : ""}`);
  }
  return {
    name: "duk",
    stray,
    call,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || dead) return resolve();
        child.once("close", () => resolve());
        child.stdin.end();
        setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), o.dukWrapper ? 60_000 : 2000).unref();
      }),
  };
}
