/**
 * An espruino-linux device on the host: one Linux Espruino process (../shared/engines/espruino)
 * in its own working directory (its flash file espruino.flash lives there), with the telnet
 * console on the fixed port 2323. Everything runs inside a private network namespace
 * (`unshare -n`, lo up) when the caller is one, so concurrent devices and other tests never meet on
 * 2323 or on the device's link port; the caller (test, main job, bench) runs inside too.
 *
 *   const d = await startLinuxEspruino({ dir, binary: "espruino-v12000" });
 *   await d.waitLog(/device started/); await d.repl("firstlight.board.press(250)");
 *   d.kill();  // SIGKILL: a power cut
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";
import { ROOT } from "../../build/paths.ts";

export const ENGINES_DIR = process.env.FIRSTLIGHT_ENGINES ?? resolve(ROOT, "../shared/engines");
export const TELNET_PORT = 2323;

export function espruinoBinary(name: string): string {
  const p = join(ENGINES_DIR, "espruino", name);
  if (!existsSync(p)) throw new Error(`${p} is missing: the Linux builds of Espruino live in ../shared/engines/espruino (see its README)`);
  return p;
}

export interface LinuxEspruino {
  proc: ChildProcess;
  /** Every console line so far (\r removed). */
  lines: string[];
  waitLog(re: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  /** Types one command on the telnet console and returns what it printed (up to the next prompt). */
  repl(cmd: string, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Espruino binds its ports without SO_REUSEADDR: after a SIGKILL with a connection open, its side
 * of that connection waits in TIME_WAIT (60 s) and a new process cannot listen on the port. Waits
 * until no socket is bound to `ports` (`ss`, iproute2; our namespace holds only this device's).
 */
export async function waitPortsFree(ports: number[], timeoutMs = 90000): Promise<void> {
  const t0 = Date.now();
  const filter = ports.map((p) => `sport = :${p}`).join(" or ");
  for (;;) {
    // Any state: right after a SIGKILL the killed side may still be in FIN_WAIT before TIME_WAIT.
    const r = spawnSync("ss", ["-Htan", `( ${filter} )`], { encoding: "utf8" });
    if (r.status !== 0) return; // no ss: nothing to wait for
    if (r.stdout.trim() === "") return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`ports ${ports.join(", ")} still in TIME_WAIT after ${timeoutMs / 1000} s`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

/** `wrap`: a command the binary runs under (e.g. valgrind and its options). */
export interface StartOptions { dir: string; binary: string; telnet?: boolean; file?: string; ports?: number[]; wrap?: string[] }

export async function startLinuxEspruino(opts: StartOptions): Promise<LinuxEspruino> {
  await waitPortsFree([TELNET_PORT, ...(opts.ports ?? [])]);
  return startProcess(opts);
}

function startProcess(opts: StartOptions): Promise<LinuxEspruino> {
  const args = opts.telnet === false ? [] : ["--telnet"];
  if (opts.file) args.push(opts.file);
  // stdin is a pipe held open and never written: on /dev/null, Espruino's input thread
  // (targets/linux/jshardware.c) sees end-of-file as "a key is ready" every 50 ms and pushes
  // a garbage character per read into the IO queue from its own thread, racing the main loop's
  // telnet input with no lock; the queue breaks (ASSERT(len <= 64) at src/jsdevices.c:601).
  const cmd = [...(opts.wrap ?? []), espruinoBinary(opts.binary), ...args];
  const proc = spawn(cmd[0], cmd.slice(1), { cwd: opts.dir, stdio: ["pipe", "pipe", "pipe"] });
  proc.stdin!.on("error", () => undefined);
  const lines: string[] = [];
  const waiters: { re: RegExp; from: number; done: (l: string) => void }[] = [];
  let buf = "";
  // A console line, from stdout or from a telnet command's connection (where the device's output
  // goes while a client is connected).
  const addLine = (line: string) => {
    lines.push(line);
    if (process.env.FIRSTLIGHT_ESPRUINO_TRACE) process.stderr.write(`[${opts.binary}] ${line}\n`);
    for (const w of waiters.slice()) if (lines.length - 1 >= w.from && w.re.test(line)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.done(line);
    }
  };
  const onText = (d: Buffer) => {
    buf += d.toString("latin1");
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i).replace(/\r/g, "").replace(/\x1b\[J/g, "");
      buf = buf.slice(i + 1);
      addLine(line);
    }
  };
  proc.stdout!.on("data", onText);
  proc.stderr!.on("data", onText);
  const exited = new Promise<number | null>((r) => proc.on("exit", (c) => r(c)));
  const dev: LinuxEspruino = {
    proc,
    lines,
    exited,
    waitLog(re, timeoutMs = 60000, from = 0) {
      for (let k = from; k < lines.length; k++) if (re.test(lines[k])) return Promise.resolve(lines[k]);
      return new Promise((res, rej) => {
        const w = { re, from, done: (l: string) => { clearTimeout(t); res(l); } };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          rej(new Error(`${opts.binary}: no line matching ${re} after ${timeoutMs / 1000} s; last lines:\n  ${lines.slice(-15).join("\n  ")}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    repl(cmd, timeoutMs = 30000) {
      return telnetCommand(cmd, timeoutMs, addLine);
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
  // Ready once the telnet server accepts (or, without telnet, at the first prompt).
  return new Promise((res, rej) => {
    const t0 = Date.now();
    const probe = () => {
      if (proc.exitCode !== null) {
        const why = lines.filter((l) => /MEMORY|ASSERT|Uncaught|Error/.test(l)).map((l) => l.trim());
        return rej(new Error(`${opts.binary} exited at start: ${(why.length ? why : lines.slice(-5)).join(" | ")}`));
      }
      if (opts.telnet === false) return res(dev);
      const s = net.connect(TELNET_PORT, "127.0.0.1");
      s.once("connect", () => { s.destroy(); res(dev); });
      s.once("error", () => {
        s.destroy();
        // Espruino opens the telnet port in its first idle-loop turn, after the boot code ran:
        // from Storage on a loaded host (load average 20 on 2 cores) that took over 90 s.
        const limit = opts.wrap ? 900000 : 300000;
        if (Date.now() - t0 > limit) {
          proc.kill("SIGKILL");
          rej(new Error(`${opts.binary}: telnet port ${TELNET_PORT} not open after ${limit / 1000} s`));
        }
        else setTimeout(probe, 100);
      });
    };
    setTimeout(probe, 100);
  });
}

/** Espruino's telnet server has one client at a time: commands wait their turn here. */
let telnetQueue: Promise<unknown> = Promise.resolve();

/**
 * What starts every console command: ESC [ 2 H, Espruino's "erase the current input line"
 * (src/jsinteractive.c, jsiHandleConsoleChar), then DLE (no echo for this line).
 *
 * The erase is what keeps the console usable. Espruino keeps one input line for the console,
 * whichever client types into it, and executes it only once its brackets and strings close. Its
 * telnet server reads 64 bytes per idle-loop turn and, when a new client connects, closes the old
 * one with whatever the old one sent still unread. So a command that a busy device had read only
 * in part when its client gave up (a timeout, then the next command's connection) leaves, say,
 * `print(JSON.stringify(firstlight.b` in the input line; every later command is appended to that
 * open bracket and nothing runs again: the device looks hung while its firmware runs on
 * (test-sim/espruino/console.test.ts shows it on the Linux build). Erasing first drops such a
 * remnant before it can swallow the command.
 */
export const CONSOLE_COMMAND_PREFIX = "\x1b[2H\x10";

/**
 * One command over the telnet console; resolves with its output lines. `onLine` gets the lines
 * the device printed outside the command (its log lines go to the telnet client while one is
 * connected, not to stdout).
 */
export function telnetCommand(cmd: string, timeoutMs = 30000, onLine?: (line: string) => void): Promise<string> {
  const run = telnetQueue.then(() => telnetOnce(cmd, timeoutMs, onLine));
  telnetQueue = run.catch(() => undefined);
  return run;
}

function telnetOnce(cmd: string, timeoutMs: number, onLine?: (line: string) => void): Promise<string> {
  return new Promise((res, rej) => {
    const s = net.connect(TELNET_PORT, "127.0.0.1");
    let out = "", sent = false, finished = false;
    const marker = "@@" + Math.random().toString(36).slice(2) + "@@";
    // Lines outside the command's markers are the device's own output: passed on, never lost.
    const passOn = (text: string) => {
      if (!onLine) return;
      for (const l of text.replace(/\r/g, "").replace(/\x1b\[J/g, "").split("\n")) {
        const line = l.replace(/^>+/, "");
        if (line.trim() !== "" && !line.includes(marker) && !/^(<-|->) Telnet$/.test(line.trim())) onLine(line);
      }
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(t);
      s.destroy();
    };
    const t = setTimeout(() => {
      finish();
      passOn(out);
      rej(new Error(`telnet: no answer to ${cmd} after ${timeoutMs / 1000} s (got ${JSON.stringify(out)})`));
    }, timeoutMs);
    s.on("data", (d) => {
      out += d.toString("latin1");
      const end = out.indexOf(marker + "END");
      if (end >= 0 && !finished) {
        const start = out.indexOf(marker + "BEGIN");
        finish();
        passOn(out.slice(0, start) + "\n" + out.slice(end));
        res(out.slice(start + marker.length + 5, end).replace(/\r/g, "").trim());
      }
    });
    let nudge: NodeJS.Timeout | undefined;
    s.on("connect", () => {
      // Wait for the console to move to telnet, then one line: erase, begin marker, command, end marker.
      setTimeout(() => {
        if (finished) return;
        sent = true;
        s.write(`${CONSOLE_COMMAND_PREFIX}print("${marker}BEGIN");print(${cmd});print("${marker}END")\n`);
        // Espruino's telnet server sends what is left in its buffer at idle time; an empty
        // line is an input event that brings one.
        nudge = setInterval(() => s.write("\x10\n"), 2000);
      }, 200);
    });
    s.on("close", () => clearInterval(nudge));
    s.on("error", (e) => { if (!sent && !finished) { finish(); rej(e); } });
  });
}

/** True when this process may create network namespaces (root, util-linux unshare). */
export function canUnshare(): boolean {
  const r = spawnSync("unshare", ["-n", "true"], { stdio: "ignore" });
  return r.status === 0;
}

/**
 * Runs `node --import tsx FILE ARGS` inside `unshare -n` with lo up and FIRSTLIGHT_NETNS=1 (or, where
 * namespaces are not allowed, as it is: then the caller must be the only user of ports 2323 and
 * 5555); resolves with its exit status and output.
 */
export function runInNetns(file: string, args: string[], onLine: (l: string) => void = () => {}): Promise<{ code: number; out: string[] }> {
  const netns = canUnshare();
  // In the private namespace TIME_WAIT is switched off (the setting is per namespace): a power cut
  // closes the device's end of an open link first, and its port would otherwise stay bound for
  // 60 s, which Espruino (no SO_REUSEADDR) cannot listen through.
  const script = `${netns ? "ip link set lo up && sysctl -qw net.ipv4.tcp_max_tw_buckets=0 && " : ""}exec "${process.execPath}" --import tsx "$0" "$@"`;
  const cmd = netns ? ["unshare", "-n", "sh", "-c", script, file, ...args] : ["sh", "-c", script, file, ...args];
  return new Promise((res) => {
    const c = spawn(cmd[0], cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"], cwd: ROOT, env: { ...process.env, FIRSTLIGHT_NETNS: netns ? "1" : "0" } });
    const out: string[] = [];
    let buf = "";
    const onData = (d: Buffer) => {
      buf += d.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        out.push(l);
        onLine(l);
      }
    };
    c.stdout!.on("data", onData);
    c.stderr!.on("data", onData);
    c.on("exit", (code) => {
      if (buf) out.push(buf);
      res({ code: code ?? 1, out });
    });
  });
}

/** The JSON result line a run-in-netns.node.ts run ends with. */
export function lastJson(out: string[]): { ok: boolean; [k: string]: unknown } | null {
  for (let i = out.length - 1; i >= 0; i--) if (out[i].startsWith("{")) try { return JSON.parse(out[i]); } catch { /* not JSON */ }
  return null;
}
