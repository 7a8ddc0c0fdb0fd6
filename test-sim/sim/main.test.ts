/**
 * The main job end to end on every engine (the built device image, the commissioner over loopback
 * TCP, a reboot from the flash file, a session), and the commissioner CLI against the simulated
 * device: a closed window, a wrong code counted across a reboot, a window that times out in
 * virtual time.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { openCommissionerState, runCommissioner } from "../../commissioner/cli.node.ts";
import { loadSimBoard } from "./board.ts";
import { availableEngines } from "../engines/tools.ts";
import { ENGINES } from "./engines.ts";
import { DEVICE_IMAGE, SimDevice } from "./sim-device.ts";
import { runStory } from "./story.ts";

const CODE = "20202021";
const haveDevice = existsSync(DEVICE_IMAGE);
const engines = availableEngines(ENGINES);
const { board, source } = loadSimBoard("sim");

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-main-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

for (const engine of engines) {
  test(`${engine}: the main job's story runs to OK`, { skip: !haveDevice && "the device image is not built", timeout: 60_000 }, () =>
    withDir(async (dir) => {
      const lines: string[] = [];
      const r = await runStory({
        engine, board, boardSource: source, code: CODE, flashPath: join(dir, "flash.bin"), commissionerDir: join(dir, "comm"),
        tty: false, frameMs: 0, out: (l) => lines.push(l),
      });
      const text = lines.join("\n");
      assert.ok(r.ok, text);
      assert.deepEqual(r.faults, []);
      assert.match(r.deviceId, /^[0-9a-f]{16}$/);
      assert.match(r.identityPublic, /^[0-9a-f]{64}$/);
      assert.equal(r.sessionEchoes, 3);
      assert.ok(!text.includes("observer counted"), "the device's own gate status and the host's observer agree");
      for (const want of ["1. boot", "2. entropy gate", "credit [████████████████████]  256/256 bits", "3. button", "LED", "4. pairing", "PAIR_DONE",
        `identity key id ${r.deviceId}`, "5. flash", "6. reboot", "came back paired", "7. operational session", "text from the commissioner: first light!", "summary"]) {
        assert.ok(text.includes(want), `missing ${JSON.stringify(want)} in:\n${text}`);
      }
      // The registry holds what the device holds.
      const st = await openCommissionerState(join(dir, "comm"));
      try {
        assert.equal((await st.registry.get(r.deviceId)).identityPublic, r.identityPublic);
      } finally {
        await st.close();
      }
      assert.ok(r.bytesOnWire.toDevice > 300 && r.bytesOnWire.fromDevice > 300, JSON.stringify(r.bytesOnWire));
    }));
}

test("the story's key-lifecycle step: audit read, identity rotation, decommission", { skip: !haveDevice && "the device image is not built", timeout: 60_000 }, () =>
  withDir(async (dir) => {
    const lines: string[] = [];
    const r = await runStory({
      engine: "node", board, boardSource: source, code: CODE, flashPath: join(dir, "flash.bin"), commissionerDir: join(dir, "comm"),
      tty: false, frameMs: 0, out: (l) => lines.push(l), lifecycle: { audit: true, rotate: true, rotateStorage: true, decommission: true },
    });
    const text = lines.join("\n");
    assert.ok(r.ok, text);
    for (const want of ["8. key lifecycle", "device verdict ok", "PAIRING_OK", "identity rotated", "storage key rotated", "decommissioned, epoch 1", "device state: unpaired"]) {
      assert.ok(text.includes(want), `missing ${JSON.stringify(want)} in:\n${text}`);
    }
    const st = await openCommissionerState(join(dir, "comm"));
    try {
      const rec = await st.registry.get(r.deviceId);
      assert.equal(rec.status, "decommissioned");
      assert.notEqual(rec.identityPublic, r.identityPublic, "the registry took the rotated key");
    } finally {
      await st.close();
    }
  }));

function cliIo() {
  const out: string[] = [], err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

test("the CLI against the simulated device: window closed, a wrong code counted across a reboot, then paired", { skip: !haveDevice && "the device image is not built", timeout: 60_000 }, () =>
  withDir(async (dir) => {
    const dev = await SimDevice.start({ engine: "node", board, flashPath: join(dir, "flash.bin"), eraseFlash: true, setupCode: CODE, mode: "device" });
    try {
      await dev.listen();
      const ready = await dev.advanceUntil((a) => a.gate.state === "ready", 60_000, 100);
      assert.ok(ready, "the gate opens within 60 s of virtual time");
      dev.realtime(true);
      const comm = join(dir, "comm");

      let c = cliIo();
      assert.equal(await runCommissioner(["--code", CODE, "--device", dev.url, "--dir", comm, "--timeout", "10"], c.io), 1);
      assert.match(c.err.join("\n"), /WINDOW_CLOSED/);

      dev.realtime(false);
      await dev.press(200);
      let a = await dev.advance(500, 50);
      assert.equal(a.status?.state, "window-open");
      dev.realtime(true);
      c = cliIo();
      assert.equal(await runCommissioner(["--code", "20202022", "--device", dev.url, "--dir", comm, "--timeout", "10"], c.io), 1);
      assert.match(c.err.join("\n"), /PAIRING_FAILED.*attempts left: 19/);
      a = await dev.step();
      assert.equal(a.status?.failedAttempts, 1);

      // The failure count lives in flash: a reboot from the file keeps it.
      dev.realtime(false);
      await dev.reboot();
      a = await dev.step();
      assert.equal(a.status?.failedAttempts, 1);
      assert.equal(a.status?.state, "unpaired", "a reboot closes the window");
      assert.ok(await dev.advanceUntil((x) => x.gate.state === "ready", 60_000, 100));
      await dev.press(200);
      await dev.advance(500, 50);
      dev.realtime(true);
      c = cliIo();
      assert.equal(await runCommissioner(["--code", CODE, "--device", dev.url, "--dir", comm, "--label", "desk"], c.io), 0, c.err.join("\n"));
      a = await dev.step({ identity: true });
      assert.equal(a.status?.state, "paired");
      assert.equal(a.status?.failedAttempts, 0, "success resets the count");
      const idLine = c.out.find((l) => l.startsWith("device "))!;
      assert.ok(idLine.endsWith(a.identity!), `${idLine} vs ${a.identity}`);
      assert.deepEqual(dev.faults, []);
    } finally {
      await dev.close();
    }
  }));

test("the window times out on virtual time: 3 min after the press pairing is refused", { skip: !haveDevice && "the device image is not built", timeout: 60_000 }, () =>
  withDir(async (dir) => {
    const dev = await SimDevice.start({ engine: "node", board, flashPath: join(dir, "flash.bin"), eraseFlash: true, setupCode: CODE, mode: "device" });
    try {
      await dev.listen();
      assert.ok(await dev.advanceUntil((a) => a.gate.state === "ready", 60_000, 100));
      await dev.press(200);
      let a = await dev.advance(1000);
      assert.equal(a.status?.state, "window-open");
      a = await dev.advance(180_000, 10_000);
      assert.equal(a.status?.state, "unpaired");
      assert.ok(dev.logs.some(([, l]) => /window closed: timeout/.test(l)), dev.logs.map((x) => x[1]).join("\n"));
      dev.realtime(true);
      const c = cliIo();
      assert.equal(await runCommissioner(["--code", CODE, "--device", dev.url, "--dir", join(dir, "comm"), "--timeout", "10"], c.io), 1);
      assert.match(c.err.join("\n"), /WINDOW_CLOSED/);
    } finally {
      await dev.close();
    }
  }));

test("test-sim/main.ts as a process: flags, output and exit code", { skip: !haveDevice && "the device image is not built", timeout: 60_000 }, () =>
  withDir(async (dir) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "test-sim/main.ts", "--fast", "--flash", join(dir, "f.bin"), "--commissioner-dir", join(dir, "c")], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /engine +node/);
    assert.match(r.stdout, /\n   OK\n/);
    assert.match(r.stdout, /seed "random-[0-9a-f]{16}" \(drawn for this run: every simulated device differs; --seed repeats one\)/);
    assert.ok(existsSync(join(dir, "f.bin")));
    assert.ok(!existsSync(join(dir, "f.bin.lock")), "the lock is released at the end");
    // A flash file another live process holds is refused, untouched.
    writeFileSync(join(dir, "f.bin.lock"), `${process.pid}\n`);
    const before = readFileSync(join(dir, "f.bin"));
    const locked = spawnSync(process.execPath, ["--import", "tsx", "test-sim/main.ts", "--fast", "--flash", join(dir, "f.bin"), "--commissioner-dir", join(dir, "c")], { cwd: ROOT, encoding: "utf8" });
    assert.equal(locked.status, 2, locked.stdout + locked.stderr);
    assert.match(locked.stderr, /f\.bin belongs to a simulated device that is running \(pid \d+: npm start or npm start -- --serve\); stop it, or give this run its own file with --flash/);
    assert.ok(readFileSync(join(dir, "f.bin")).equals(before), "the locked device's flash is untouched");
    const bad = spawnSync(process.execPath, ["--import", "tsx", "test-sim/main.ts", "--engine", "spidermonkey"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--engine is one of node, quickjs, duk/);
    const code = spawnSync(process.execPath, ["--import", "tsx", "test-sim/main.ts", "--code", "12345678", "--flash", join(dir, "g.bin"), "--commissioner-dir", join(dir, "c")], { cwd: ROOT, encoding: "utf8" });
    assert.equal(code.status, 2, "a bad code is refused with the arguments, before the build");
    assert.match(code.stderr, /trivial code/);
  }));
