/**
 * The JerryScript port end to end (ports/jerryscript): the port built from the JerryScript source
 * (cached outside the clone), the device image's static snapshot on the board's 64 KB heap, a button press,
 * pairing with the commissioner over TCP, a power-off (SIGKILL) and a reboot from the flash file,
 * a session with echoes; the key lifecycle (rotation, decommission); power cuts at every flash
 * operation of a pairing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPort, buildSnapshot } from "../../../ports/jerryscript/host/build.node.ts";
import { sweepPairingCuts } from "../../../ports/jerryscript/host/power-cuts.node.ts";
import { runJerryStory } from "../../../ports/jerryscript/host/story.node.ts";

const CODE = "20202021";

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-jerry-"));
  return fn(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

// The first run builds JerryScript (about a minute on two cores); later runs find it cached.
const port = buildPort();
const snapshot = buildSnapshot(port);

test("the snapshot is smaller than the source and carries its literals beside it", () => {
  assert.ok(snapshot.snapshotBytes > 0 && snapshot.literalsBytes > 0);
  assert.ok(snapshot.snapshotBytes < snapshot.sourceBytes, `${snapshot.snapshotBytes} B snapshot vs ${snapshot.sourceBytes} B source`);
});

test("64 KB heap: boot, press, pair over TCP, power off, reboot from flash, session with echoes", { timeout: 120_000 }, () =>
  withDir(async (dir) => {
    const lines: string[] = [], device: string[] = [];
    const r = await runJerryStory({
      code: CODE, flashPath: join(dir, "flash.bin"), secretPath: join(dir, "secret.bin"), commissionerDir: join(dir, "comm"),
      heapKb: 64, port, snapshot, out: (l) => lines.push(l), onDeviceLine: (l) => device.push(l),
    });
    const why = lines.join("\n") + "\n--- device\n" + device.slice(-40).join("\n");
    assert.ok(r.ok, why);
    assert.equal(r.echoes, 2, why);
    assert.equal(r.finalState, "paired", why);
    assert.match(r.deviceId, /^[0-9a-f]{16}$/);
    for (const h of [r.heap.boot, r.heap.paired, r.heap.session]) {
      assert.equal(h.size, 64 * 1024 - 8, "the heap the port was given");
      assert.ok(h.peak <= h.size && h.allocated < h.peak, JSON.stringify(h));
    }
    assert.ok(device.some((l) => /device started: paired/.test(l)), "the second boot found the pairing in flash");
    assert.ok(device.some((l) => /store: shredded the root-derived first-life store to a random seed/.test(l)), why);
    assert.deepEqual(device.filter((l) => /\berror: /.test(l)), [], why);
  }));

test("64 KB heap: identity rotation, storage-key rotation and decommission after the session", { timeout: 120_000 }, () =>
  withDir(async (dir) => {
    const lines: string[] = [], device: string[] = [];
    const r = await runJerryStory({
      code: CODE, flashPath: join(dir, "flash.bin"), secretPath: join(dir, "secret.bin"), commissionerDir: join(dir, "comm"),
      heapKb: 64, port, snapshot, lifecycle: { rotate: true, rotateStorage: true, decommission: true },
      out: (l) => lines.push(l), onDeviceLine: (l) => device.push(l),
    });
    const why = lines.join("\n") + "\n--- device\n" + device.slice(-40).join("\n");
    assert.ok(r.ok, why);
    assert.equal(r.finalState, "unpaired", why);
    assert.ok(lines.some((l) => /decommissioned, epoch 1/.test(l)), why);
    assert.ok(device.some((l) => /storage key rotated: every record re-sealed/.test(l)), why);
    assert.deepEqual(device.filter((l) => /\berror: /.test(l)), [], why);
  }));

test("64 KB heap: a power cut at every flash program/erase of a pairing leaves the device paired or unpaired, and usable", { timeout: 240_000 }, (t) =>
  withDir(async (dir) => {
    const secretPath = join(dir, "secret.bin");
    writeFileSync(secretPath, randomBytes(32));
    const sweep = await sweepPairingCuts({ port, snapshot, dir, secretPath, code: CODE, heapKb: 64 });
    assert.ok(sweep.opsPerPairing > 0, "the sweep reached a pairing that no cut interrupted");
    assert.equal(sweep.outcomes.length, sweep.opsPerPairing);
    for (const o of sweep.outcomes) assert.ok(o.state === "paired" || o.state === "unpaired", JSON.stringify(o));
    t.diagnostic(`${sweep.opsPerPairing} cut points; heap peak after a cut ${Math.max(...sweep.outcomes.map((o) => o.heapPeak))} B of ${64 * 1024 - 8} B`);
    assert.ok(sweep.outcomes.some((o) => o.state === "unpaired") && sweep.outcomes.some((o) => o.state === "paired"),
      "early cuts leave it unpaired, late ones paired: " + JSON.stringify(sweep.outcomes));
  }));
