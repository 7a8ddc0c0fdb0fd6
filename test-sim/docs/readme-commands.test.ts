/**
 * Every command README.md shows runs as written (the rule: test-sim/docs/readme-commands.ts), from
 * the repository, with the simulator's and the CLIs' state in a temporary directory
 * (FIRSTLIGHT_SIM_DIR, FIRSTLIGHT_DIR). `npm start -- --serve` stays up while the commands after it
 * run; `tcp://HOST:PORT` becomes its address and `ID` the device id its pairing printed. The long
 * runs named in LONG run for a few seconds and must not fail within them (the full runs are CI's
 * own `npm test` and the lead's `npm run bench`/`soak`); every other command must exit 0. A command
 * whose program is a Debian tool (test-sim/engines/tools.ts) follows that file's rule when it is missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { readDoc } from "./markdown.ts";
import { readmeCommands } from "./readme-commands.ts";
import { missingTool, TOOLS } from "../engines/tools.ts";

/** Commands that run for minutes: started, given LONG_MS, then stopped. */
const LONG = new Set(["npm test", "npm run selftest", "npm run bench", "npm run soak", "npm run typecheck", "npm run web"]);
const LONG_MS = 3000;
const SERVE = "npm start -- --serve";
const STEP_MS = 90_000;

interface Run { code: number | null; out: string; ms: number; stoppedAfter?: number }

function start(command: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; done: Promise<Run> } {
  const t0 = Date.now();
  const child = spawn("bash", ["-c", command], { cwd: ROOT, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, out, ms: Date.now() - t0 })));
  return { child, output: () => out, done };
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function runFor(command: string, env: NodeJS.ProcessEnv, ms: number): Promise<Run> {
  const p = start(command, env);
  let stopped = false;
  const timer = setTimeout(() => {
    stopped = true;
    stop(p.child, "SIGKILL");
  }, ms);
  const r = await p.done;
  clearTimeout(timer);
  return stopped ? { ...r, stoppedAfter: ms } : r;
}

test("the extraction rule: sh lines without their comments, the Commands table's first cells, the hardware marker", () => {
  const md = [
    "```sh", "npm start   # the main job", "", "espruino --port /dev/ttyACM0 dist/x.js   # needs hardware", "```",
    "```", "not a command", "```",
    "## Commands", "| command | what |", "|---|---|", "| `npm start` | again |", "| `npm run x -- a\\|b` | escaped bar |", "| `flash` | needs hardware |",
    "## Other", "| `not here` | x |",
  ].join("\n");
  assert.deepEqual(readmeCommands(md).map((c) => [c.command, c.hardware]), [
    ["npm start", false], ["espruino --port /dev/ttyACM0 dist/x.js", true], ["npm run x -- a|b", false], ["flash", true],
  ]);
});

test("every command README.md shows runs as written against a simulated device", { timeout: 300_000 }, async (t) => {
  const commands = readmeCommands(readDoc("README.md"));
  assert.deepEqual(commands.slice(0, 2).map((c) => c.command), ["npm start", "npm test"], "the README opens with npm start and npm test");
  const dir = mkdtempSync(join(tmpdir(), "fl-readme-"));
  const env = { ...process.env, FIRSTLIGHT_SIM_DIR: join(dir, "sim"), FIRSTLIGHT_DIR: join(dir, "state"), npm_config_loglevel: "silent" };
  let serve: ReturnType<typeof start> | null = null;
  let url: string | null = null, id: string | null = null;
  const failures: string[] = [];
  const longRuns: Promise<void>[] = [];
  try {
    for (const c of commands) {
      if (c.hardware) {
        t.diagnostic(`skipped (needs hardware): ${c.command}`);
        continue;
      }
      let command = c.command;
      const program = command.split(" ")[0];
      if (program in TOOLS) {
        const missing = missingTool(program);
        if (missing) {
          t.diagnostic(`skipped: ${command}: ${missing}`);
          continue;
        }
      }
      if (/HOST:PORT|\bID\b/.test(command)) {
        if (!url) {
          failures.push(`${c.source}: ${command} needs the simulated device: show \`${SERVE}\` before it`);
          continue;
        }
        if (/\bID\b/.test(command) && !id) {
          failures.push(`${c.source}: ${command} needs a paired device's id: show the pairing command before it`);
          continue;
        }
        command = command.replace(/tcp:\/\/HOST:PORT/g, url).replace(/\bID\b/g, id ?? "ID");
      }
      if (command === SERVE) {
        serve = start(command, env);
        const t0 = Date.now();
        while (!/device on (tcp:\/\/[0-9.]+:\d+)/.test(serve.output()) && Date.now() - t0 < STEP_MS && serve.child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
        url = /device on (tcp:\/\/[0-9.]+:\d+)/.exec(serve.output())?.[1] ?? null;
        if (!url) {
          failures.push(`${c.source}: ${command} printed no "device on tcp://…" within ${STEP_MS / 1000} s:\n${serve.output().slice(-1500)}`);
          break;
        }
        t.diagnostic(`${command}: up on ${url} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        continue;
      }
      const judge = (r: Run, long: boolean) => {
        const ok = long ? r.stoppedAfter !== undefined || r.code === 0 : r.code === 0;
        t.diagnostic(`${ok ? "ok  " : "FAIL"} ${(r.ms / 1000).toFixed(1)} s  ${command}${r.stoppedAfter ? " (a long run: stopped, it had not failed)" : ""}`);
        if (!ok) failures.push(`${c.source}: \`${command}\` ${r.stoppedAfter ? `did not finish within ${STEP_MS / 1000} s` : `exited ${r.code}`}:\n${r.out.slice(-1500)}`);
      };
      if (LONG.has(command)) {
        // The long runs overlap the commands after them: each is only watched for LONG_MS.
        longRuns.push(runFor(command, env, LONG_MS).then((r) => judge(r, true)));
        continue;
      }
      const r = await runFor(command, env, STEP_MS);
      judge(r, false);
      const paired = /^device ([0-9a-f]{16})  identity public key/m.exec(r.out);
      if (paired) id = paired[1];
    }
    await Promise.all(longRuns);
  } finally {
    await Promise.all(longRuns);
    if (serve) {
      stop(serve.child);
      const killer = setTimeout(() => stop(serve!.child, "SIGKILL"), 5000);
      await serve.done;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
});
