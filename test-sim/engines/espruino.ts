/**
 * Runs built JavaScript on the real Espruino interpreter (the Linux builds in
 * ../shared/engines/espruino/), each run in its own temporary working directory (Espruino keeps
 * `require("Flash")` and Storage in `./espruino.flash` there), without telnet:
 *
 *   runEspruino(build, code)        the code as the command-line file, stdin closed; the run ends
 *                                   when the code is done (exit status 1 on an uncaught exception)
 *   EspruinoConsole.open(build)     the REPL on stdin/stdout: exec() one line at a time and wait for
 *                                   it, write a text into Storage in pieces, eval it from Storage
 *
 * Espruino ignores SIGTERM: every process here is stopped with SIGKILL (a faithful power cut).
 * Output lines lose their `\r`; runEspruino's output loses the closing REPL prompt.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";

export type EspruinoBuild = "espruino" | "espruino-v12000" | "espruino-v2500";
export const ESPRUINO_BUILDS: EspruinoBuild[] = ["espruino", "espruino-v12000", "espruino-v2500"];

/** Where the binaries are: $FIRSTLIGHT_ESPRUINO_DIR, else ../shared/engines/espruino beside the repository. */
export const ESPRUINO_DIR = process.env.FIRSTLIGHT_ESPRUINO_DIR ?? join(ROOT, "../shared/engines/espruino");

export function espruinoPath(build: EspruinoBuild): string {
  return join(ESPRUINO_DIR, build);
}

/** Why `build` cannot run here (for a test's skip message), or null when it can. */
export function espruinoMissing(build: EspruinoBuild): string | null {
  const bin = espruinoPath(build);
  if (!existsSync(bin)) return `${bin} is missing: build Espruino 2v29 for Linux as ${ESPRUINO_DIR}/README.md describes (or set FIRSTLIGHT_ESPRUINO_DIR)`;
  const dir = mkdtempSync(join(tmpdir(), "fl-espruino-"));
  try {
    const r = spawnSync(bin, ["-e", "console.log('<ok>')"], { cwd: dir, input: "", encoding: "utf8", timeout: 10_000, killSignal: "SIGKILL" });
    return /<ok>/.test(r.stdout ?? "") ? null : `${bin} does not run: ${r.error ?? r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EspruinoResult { stdout: string; code: number | null; ms: number; timedOut: boolean }

export interface RunOptions {
  timeoutMs?: number;
  /** Working directory to use (kept); default a fresh temporary one, removed afterwards. */
  dir?: string;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "fl-espruino-"));
}

/** Runs `code` as the command-line file of `build` with stdin closed; SIGKILL after the timeout. */
export function runEspruino(build: EspruinoBuild, code: string, opts: RunOptions = {}): Promise<EspruinoResult> {
  const dir = opts.dir ?? tempDir();
  const file = join(dir, "main.js");
  writeFileSync(file, code);
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(espruinoPath(build), [file], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stdout += d));
    const timer = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, opts.timeoutMs ?? 600_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
      // The REPL prompt `>` that Espruino prints before it exits is not output of the code.
      resolve({ stdout: stdout.replace(/\r/g, "").replace(/\n>\s*$/, "\n"), code, ms: Date.now() - t0, timedOut });
    });
  });
}

/** The text Espruino prints for an error that reaches the REPL. */
const UNCAUGHT = /(Uncaught [^\n]*|New interpreter error: [^\n]*|OUT OF MEMORY[^\n]*)/;

/** Espruino's REPL driven over stdin: one line at a time, each acknowledged before the next. */
export class EspruinoConsole {
  readonly dir: string;
  private out = "";
  private seq = 0;
  private exited: number | null | undefined = undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly build: EspruinoBuild, private child: ChildProcess, dir: string, private ownDir: boolean) {
    this.dir = dir;
    const take = (d: Buffer) => { this.out += d.toString("latin1").replace(/\r/g, ""); this.wake(); };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    child.on("close", (code) => { this.exited = code; this.wake(); });
  }

  /**
   * Starts `build` in `dir` (default: a fresh temporary directory, removed by kill(); a given one
   * is kept unless `removeDir`) with `file` (optional) run first.
   */
  static async open(build: EspruinoBuild, opts: { dir?: string; file?: string; removeDir?: boolean } = {}): Promise<EspruinoConsole> {
    const dir = opts.dir ?? tempDir();
    const child = spawn(espruinoPath(build), opts.file ? [opts.file] : [], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    const c = new EspruinoConsole(build, child, dir, !opts.dir || !!opts.removeDir);
    await c.exec("1", 60_000);
    return c;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Everything printed so far. */
  output(): string {
    return this.out;
  }

  /**
   * Runs one line of code (no newlines; echo off) and resolves with what it printed once it is
   * done. Rejects with Espruino's message when it throws or runs out of memory, or on timeout.
   */
  async exec(code: string, timeoutMs = 600_000): Promise<string> {
    if (/[\n\r]/.test(code)) throw new Error("EspruinoConsole.exec takes one line of code");
    const tag = `<done ${++this.seq}>`;
    const from = this.out.length;
    this.child.stdin!.write("\x10" + code + `;console.log(${JSON.stringify(tag)})\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.out.slice(from);
      const at = text.indexOf(tag);
      if (at >= 0) {
        // Without the REPL's `>` prompts (alone on a line, or glued before the output that follows) and blank lines.
        return text.slice(0, at).split("\n").map((l) => l.replace(/^>+/, "")).filter((l) => l.trim() !== "").join("\n");
      }
      const err = UNCAUGHT.exec(text);
      if (err) {
        // The rest of the line was skipped: the REPL is ready for the next one.
        throw new Error(`${this.build}: ${err[1]}\n${text.slice(-1500)}`);
      }
      if (this.exited !== undefined) throw new Error(`${this.build} exited (${this.exited})\n${text.slice(-1500)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.build}: no answer in ${timeoutMs} ms to ${code.slice(0, 80)}\n${text.slice(-1500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** Variables in use now (`process.memory().usage`) and the build's total. */
  async memory(): Promise<{ usage: number; total: number }> {
    const m = /<mem (\d+) (\d+)>/.exec(await this.exec(`var m$=process.memory();console.log("<mem "+m$.usage+" "+m$.total+">")`));
    if (!m) throw new Error("no memory figure");
    return { usage: Number(m[1]), total: Number(m[2]) };
  }

  /**
   * Writes `text` (ASCII) to the Storage file `name` in pieces of `pieceChars`, as the espruino
   * CLI does for boards: the first write gives the whole size, the later ones the offset.
   */
  async writeStorage(name: string, text: string, pieceChars = 1024): Promise<void> {
    if (/[^\x00-\x7f]/.test(text)) throw new Error("writeStorage takes ASCII text");
    await this.exec(`require("Storage").erase(${JSON.stringify(name)})`);
    for (let at = 0; at < text.length || at === 0; at += pieceChars) {
      const piece = JSON.stringify(text.slice(at, at + pieceChars));
      await this.exec(`require("Storage").write(${JSON.stringify(name)},${piece},${at},${text.length})`);
    }
    const back = await this.exec(`console.log("<len "+require("Storage").read(${JSON.stringify(name)}).length+">")`);
    if (!back.includes(`<len ${text.length}>`)) throw new Error(`Storage file ${name} did not read back: ${back}`);
  }

  /** Runs the Storage file `name` as code, from flash (as a board runs code saved to it). */
  evalStorage(name: string, timeoutMs?: number): Promise<string> {
    return this.exec(`eval(require("Storage").read(${JSON.stringify(name)}))`, timeoutMs);
  }

  /** Stops the process with SIGKILL (a power cut) and, if the directory was made here, removes it. */
  async kill(): Promise<void> {
    if (this.exited === undefined) {
      this.child.kill("SIGKILL");
      while (this.exited === undefined) await new Promise<void>((r) => this.waiters.push(r));
    }
    if (this.ownDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
