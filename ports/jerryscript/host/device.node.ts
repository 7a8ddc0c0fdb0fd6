/**
 * A JerryScript device process on the host, driven the way a test bench drives a board: the port
 * (posix/main.c) runs the device image's snapshot in real time; this side reads its stdout lines
 * (link URL, log, pin levels, status reports, power cuts), presses the button by driving its pin
 * over stdin, asks for status reports, and pulls the plug (SIGKILL).
 *
 *   const dev = await JerryDevice.boot({ port, snapshot, flashPath, secretPath, setupCode });
 *   await dev.waitGate(); await dev.press(); …; await dev.kill();
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../../build/paths.ts";
import type { JerryPort, JerrySnapshot } from "./build.node.ts";

export const JERRY_BOARD_FILE = join(ROOT, "boards/nrf52840-jerry.json");
/** nrf52840-jerry's button: P0.11, active low (boards/nrf52840-jerry.json). */
const BUTTON_PIN = "P0.11";

export interface JerryBootOptions {
  port: JerryPort;
  snapshot: JerrySnapshot;
  flashPath: string;
  /** The 32-byte device secret file (absent: a board without a secret). */
  secretPath?: string;
  setupCode: string;
  /** The board file (default boards/nrf52840-jerry.json). */
  boardPath?: string;
  heapKb?: number;
  windowMs?: number;
  /** Power cut during the N-th flash program/erase after boot. */
  cutAfter?: number;
  /** Every stdout line (log, pin, status …) as it comes. */
  onLine?: (line: string) => void;
  /** Extra environment (the sanitizer's options). */
  env?: NodeJS.ProcessEnv;
  /** A command the port runs under, e.g. ["valgrind", "--tool=callgrind", …] (the bench). */
  wrap?: string[];
}

export interface JerryStatus {
  device: { state: string; paired: boolean; failedAttempts: number; windowRemainingMs: number; entropy: { state: string; credited: number; needed: number }; session: { received: number; sent: number } };
  heap: { size: number; allocated: number; peak: number };
  faults: number;
}

interface Waiter {
  test: (line: string) => boolean;
  resolve: (line: string) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  what: string;
}

export class JerryDevice {
  readonly lines: string[] = [];
  url = "";
  exitCode: number | null = null;
  exitSignal: string | null = null;
  stderr = "";
  private waiters: Waiter[] = [];
  private exited: Promise<void>;

  /** The process id (of the wrapper, when there is one). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private constructor(private child: ChildProcess, private onLine?: (line: string) => void) {
    let buf = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.take(line);
      }
    });
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (d: string) => (this.stderr += d));
    child.stdin!.on("error", () => {});
    this.exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        for (const w of this.waiters.splice(0)) {
          clearTimeout(w.timer);
          w.reject(new Error(`the device exited (${signal ?? code}) while waiting for ${w.what}${this.stderr ? ": " + this.stderr.slice(-2000) : ""}`));
        }
        resolve();
      });
    });
  }

  static async boot(o: JerryBootOptions, timeoutMs = 20_000): Promise<JerryDevice> {
    const args = ["--image", o.snapshot.snapshot, "--literals", o.snapshot.literals, "--board", o.boardPath ?? JERRY_BOARD_FILE,
      "--setup-code", o.setupCode, "--flash", o.flashPath, "--heap-kb", String(o.heapKb ?? 64)];
    if (o.secretPath) args.push("--secret", o.secretPath);
    if (o.windowMs) args.push("--window-ms", String(o.windowMs));
    if (o.cutAfter) args.push("--cut-after", String(o.cutAfter));
    const cmd = o.wrap?.length ? o.wrap[0] : o.port.bin, cmdArgs = o.wrap?.length ? [...o.wrap.slice(1), o.port.bin, ...args] : args;
    const child = spawn(cmd, cmdArgs, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...o.env } });
    const dev = new JerryDevice(child, o.onLine);
    const link = await dev.waitLine((l) => l.startsWith("link "), "the link URL", timeoutMs);
    dev.url = link.slice(5);
    return dev;
  }

  private take(line: string): void {
    this.lines.push(line);
    this.onLine?.(line);
    if (line.startsWith("link ")) this.url = line.slice(5);
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (!w.test(line)) continue;
      this.waiters.splice(i--, 1);
      clearTimeout(w.timer);
      w.resolve(line);
    }
  }

  /** The next line (from now) that passes `test`. */
  waitLine(test: (line: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    if (this.exitCode !== null || this.exitSignal !== null) return Promise.reject(new Error(`the device has exited; wanted ${what}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no ${what} after ${timeoutMs} ms; last lines:\n${this.lines.slice(-15).join("\n")}`));
      }, timeoutMs);
      this.waiters.push({ test, resolve, reject, timer, what });
    });
  }

  /** A line already seen or the next one that passes `test`. */
  seenOrWait(test: (line: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const seen = this.lines.find(test);
    return seen !== undefined ? Promise.resolve(seen) : this.waitLine(test, what, timeoutMs);
  }

  /** The log lines (without "log T "). */
  logs(): string[] {
    return this.lines.filter((l) => l.startsWith("log ")).map((l) => l.replace(/^log \S+ /, ""));
  }

  send(line: string): void {
    this.child.stdin!.write(line + "\n");
  }

  async status(): Promise<JerryStatus> {
    const p = this.waitLine((l) => l.startsWith("status "), "a status report");
    this.send("status");
    return JSON.parse((await p).slice(7)) as JerryStatus;
  }

  /** Waits until the entropy gate has opened (or failed: then throws). */
  async waitGate(timeoutMs = 30_000): Promise<void> {
    const line = await this.seenOrWait((l) => /^log \S+ entropy gate (open|failed)/.test(l), "the entropy gate", timeoutMs);
    if (/failed/.test(line)) throw new Error(line);
  }

  /** Holds the button for `ms` (drives the active-low pin to 0, then back to 1). */
  async press(ms = 250): Promise<void> {
    this.send(`pin ${BUTTON_PIN} 0`);
    await new Promise((r) => setTimeout(r, ms));
    this.send(`pin ${BUTTON_PIN} 1`);
  }

  /** Cuts the power during the n-th flash program/erase from now. */
  cutAfter(n: number): void {
    this.send(`cut ${n}`);
  }

  /** The process's end (a power cut, a crash, or a kill). */
  async exit(timeoutMs = 20_000): Promise<{ code: number | null; signal: string | null }> {
    let t: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((_, rej) => { t = setTimeout(() => rej(new Error("the device did not exit")), timeoutMs); })]);
    clearTimeout(t);
    return { code: this.exitCode, signal: this.exitSignal };
  }

  /** Pulls the plug: SIGKILL, RAM gone; the flash file keeps what was written. */
  async kill(): Promise<void> {
    if (this.exitCode === null && this.exitSignal === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}
