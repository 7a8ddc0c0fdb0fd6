/**
 * The JerryScript port under AddressSanitizer + UndefinedBehaviorSanitizer (engine and port both
 * built with -fsanitize=address,undefined; cached like the release build): the end-to-end story,
 * the lifecycle, the first power cuts of a pairing, the native kernel's binding on its cases
 * (accel-binding.ts: every function, bad arguments), and a bounded fuzz run that feeds random bytes
 * to the link (JERRY_FUZZ_SECONDS, default 30). Any sanitizer report fails the run (reports go to
 * files through ASAN_OPTIONS/UBSAN_OPTIONS log_path and are read back), except the one upstream
 * JerryScript report listed in ports/jerryscript/host/ubsan-suppressions.txt.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, randomInt } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPort, buildSnapshot, UBSAN_SUPPRESSIONS } from "../../../ports/jerryscript/host/build.node.ts";
import { JerryDevice } from "../../../ports/jerryscript/host/device.node.ts";
import { sweepPairingCuts } from "../../../ports/jerryscript/host/power-cuts.node.ts";
import { runJerryStory } from "../../../ports/jerryscript/host/story.node.ts";
import { runBindingCases } from "./accel-binding.ts";

const CODE = "20202021";
const FUZZ_SECONDS = Number(process.env.JERRY_FUZZ_SECONDS ?? 30);

const port = buildPort({ sanitize: true });
const snapshot = buildSnapshot(port);

function sanitizerEnv(dir: string): NodeJS.ProcessEnv {
  const log = join(dir, "sanitizer");
  return { ASAN_OPTIONS: `log_path=${log}:detect_leaks=0:abort_on_error=1`, UBSAN_OPTIONS: `log_path=${log}:print_stacktrace=1:halt_on_error=1:suppressions=${UBSAN_SUPPRESSIONS}` };
}

function sanitizerReports(dir: string): string {
  return readdirSync(dir).filter((f) => f.startsWith("sanitizer")).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
}

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-jerry-asan-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test("ASan + UBSan: the story, then the lifecycle, on a 64 KB heap, with no report", { timeout: 600_000 }, () =>
  withDir(async (dir) => {
    const env = sanitizerEnv(dir), lines: string[] = [];
    const base = { code: CODE, secretPath: join(dir, "secret.bin"), port, snapshot, env, out: (l: string) => lines.push(l) };
    const a = await runJerryStory({ ...base, flashPath: join(dir, "a.bin"), commissionerDir: join(dir, "ca"), heapKb: 64 });
    assert.ok(a.ok && a.echoes === 2, lines.join("\n"));
    const b = await runJerryStory({ ...base, flashPath: join(dir, "b.bin"), commissionerDir: join(dir, "cb"), heapKb: 64, lifecycle: { rotate: true, rotateStorage: true, decommission: true } });
    assert.ok(b.ok && b.finalState === "unpaired", lines.join("\n"));
    assert.equal(sanitizerReports(dir), "");
  }));

test("ASan + UBSan: the native kernel's binding (every function of firstlight_native's accelerator part, bad arguments), with no report", () =>
  withDir(async (dir) => {
    assert.ok(port.accel, "the port was built without the kernel");
    const r = runBindingCases(port, sanitizerEnv(dir));
    assert.deepEqual(r.failures, []);
    assert.equal(sanitizerReports(dir), "");
  }));

test("ASan + UBSan: power cuts in the first 6 flash operations of a pairing", { timeout: 600_000 }, () =>
  withDir(async (dir) => {
    const secretPath = join(dir, "secret.bin");
    writeFileSync(secretPath, randomBytes(32));
    const sweep = await sweepPairingCuts({ port, snapshot, dir, secretPath, code: CODE, maxCuts: 6, env: sanitizerEnv(dir) });
    assert.equal(sweep.outcomes.length, 6);
    assert.equal(sanitizerReports(dir), "");
  }));

/** One connection: random chunks (sometimes a plausible frame header first), then a close. */
function fuzzConnection(url: string): Promise<number> {
  const [host, p] = url.replace("tcp://", "").split(":");
  return new Promise((resolve) => {
    let sent = 0;
    const s = connect(Number(p), host);
    const done = () => resolve(sent);
    s.on("error", done);
    s.on("close", done);
    s.on("data", () => {});
    s.on("connect", () => {
      const chunks = randomInt(1, 6);
      for (let i = 0; i < chunks; i++) {
        const b = randomBytes(randomInt(1, 700));
        if (randomInt(0, 3) === 0 && b.length > 3) { b[0] = randomInt(0, 16); b[1] = 0; b[2] = randomInt(0, 4); }
        s.write(b);
        sent += b.length;
      }
      setTimeout(() => s.destroy(), randomInt(0, 60));
    });
  });
}

test(`ASan + UBSan: ${FUZZ_SECONDS} s of random bytes on the link, no crash, no report`, { timeout: (FUZZ_SECONDS + 120) * 1000 }, () =>
  withDir(async (dir) => {
    writeFileSync(join(dir, "secret.bin"), randomBytes(32));
    const dev = await JerryDevice.boot({ port, snapshot, flashPath: join(dir, "f.bin"), secretPath: join(dir, "secret.bin"), setupCode: CODE, heapKb: 64, env: sanitizerEnv(dir) });
    try {
      await dev.waitGate();
      await dev.press(250);
      let connections = 0, bytes = 0;
      const until = Date.now() + FUZZ_SECONDS * 1000;
      while (Date.now() < until) {
        bytes += await fuzzConnection(dev.url);
        connections++;
        if (connections % 50 === 0) await dev.press(250); // reopen the window the failures may have closed
      }
      const s = await dev.status();
      assert.ok(["unpaired", "window-open", "locked"].includes(s.device.state), s.device.state);
      assert.equal(s.faults, 0, dev.logs().filter((l) => /uncaught/.test(l)).slice(0, 5).join("\n"));
      assert.ok(connections > 10 && bytes > 0);
    } finally {
      await dev.kill();
    }
    assert.equal(dev.exitSignal, "SIGKILL", "the device was alive until the end: " + dev.stderr.slice(-2000));
    assert.equal(sanitizerReports(dir), "");
  }));
