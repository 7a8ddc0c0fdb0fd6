/**
 * Many commissioners at once: 8 writer processes (test-sim/registrar/concurrent-writer.ts) add,
 * rotate, bump and revoke the same 12 devices with the same identity keys at the same time, on
 * PostgreSQL and on one SQLite file. Afterwards: each device was added exactly once, its epoch is
 * the number of epoch-changing operations that succeeded (no lost update), each epoch value was
 * handed out once, no identity key is held twice, and each device's audit replays to its row.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { registryKeys } from "../../registrar/master-key.ts";
import { openRegistry } from "../../registrar/open-registry.ts";
import type { AuditRow, DeviceRecord } from "../../registrar/registry.ts";
import { registryBackends } from "./backends.ts";

const WRITERS = 8;
const OPS = 40;
const MASTER = Buffer.alloc(32, 0x42);
const WRITER = fileURLToPath(new URL("./concurrent-writer.ts", import.meta.url));

interface Done { op: string; id: string; identity?: string; epoch: number }

/** Starts every writer, waits until each has its registry open, says "go" to all, collects their successes. */
async function runWriters(location: string): Promise<{ done: Done[]; refused: Record<string, number> }> {
  const procs = Array.from({ length: WRITERS }, (_, i) =>
    spawn(process.execPath, ["--import", "tsx", WRITER, location, MASTER.toString("hex"), String(i + 1), String(OPS)], { stdio: ["pipe", "pipe", "pipe"] }));
  const done: Done[] = [], refused: Record<string, number> = {};
  let ready = 0;
  const allReady = new Promise<void>((resolve) => {
    for (const p of procs) {
      createInterface({ input: p.stdout! }).on("line", (l) => {
        const m = JSON.parse(l);
        if (m.ready && ++ready === WRITERS) resolve();
        else if (m.refused) for (const [k, n] of Object.entries(m.refused as Record<string, number>)) refused[k] = (refused[k] ?? 0) + n;
        else if (m.op) done.push(m);
      });
    }
  });
  const exits = procs.map((p) => {
    let err = "";
    p.stderr!.on("data", (d) => (err += d));
    return new Promise<void>((resolve, reject) => p.on("exit", (c) => (c === 0 ? resolve() : reject(new Error(`a writer exited ${c}: ${err}`)))));
  });
  await Promise.race([allReady, Promise.all(exits)]);
  for (const p of procs) p.stdin!.write("go\n");
  await Promise.all(exits);
  return { done, refused };
}

/** Replays one device's audit rows: its identity, epoch and status as the audit tells them. */
function replay(rows: AuditRow[]): { identity: string; epoch: number; status: string } {
  let identity = "", epoch = 0, status = "";
  for (const a of rows) {
    if (a.action === "add") {
      assert.equal(status, "", "added once");
      identity = a.detail.replace("identity ", "");
      status = "active";
    } else if (a.action === "rotate-begin") {
      assert.equal(status, "active");
      assert.equal(a.detail, `epoch ${epoch}`);
      status = "rotating";
    } else if (a.action === "rotate-confirm") {
      assert.equal(status, "rotating");
      const m = /^epoch (\d+) identity ([0-9a-f]{64})$/.exec(a.detail)!;
      assert.equal(Number(m[1]), epoch + 1, "each confirm moves the epoch by one");
      epoch++;
      identity = m[2];
      status = "active";
    } else if (a.action === "epoch") {
      assert.notEqual(status, "revoked");
      assert.equal(a.detail, `epoch ${epoch + 1}`, "each bump moves the epoch by one");
      epoch++;
    } else if (a.action === "revoke") {
      assert.notEqual(status, "revoked");
      status = "revoked";
    } else assert.fail(`unexpected audit action ${a.action}`);
  }
  return { identity, epoch, status };
}

for (const b of registryBackends()) describe(b.name, { skip: b.skip }, () => {
  test(`${WRITERS} writer processes with conflicting operations: nothing lost, nothing twice, every device's audit replays to its row`, async (t) => {
    const location = await b.fresh();
    const t0 = performance.now();
    const { done, refused } = await runWriters(location);
    t.diagnostic(`${done.length} operations succeeded, refused ${JSON.stringify(refused)}, ${Math.round(performance.now() - t0)} ms`);
    const r = await openRegistry(location, registryKeys(MASTER));
    try {
      const devices = await r.list();
      const byId = new Map<string, DeviceRecord>(devices.map((d) => [d.id, d]));
      assert.ok(devices.length >= 6, `most of the 12 devices were added (${devices.length})`);
      assert.ok(done.length > WRITERS * OPS / 10, `enough operations succeeded to mean something (${done.length})`);
      assert.ok((refused.DUPLICATE ?? 0) > 0 && (refused.BAD_STATE ?? 0) > 0, `the writers did conflict: ${JSON.stringify(refused)}`);

      const identities = devices.map((d) => d.identityPublic);
      assert.equal(new Set(identities).size, identities.length, "no identity key is held by two devices");
      for (const d of devices) {
        const mine = done.filter((x) => x.id === d.id);
        assert.equal(mine.filter((x) => x.op === "add").length, 1, `device ${d.id} added exactly once`);
        const moves = mine.filter((x) => x.op === "epoch" || x.op === "rotate-confirm");
        assert.equal(d.epoch, moves.length, `device ${d.id}: its epoch counts every bump and confirm that succeeded`);
        assert.deepEqual(moves.map((x) => x.epoch).sort((p, q) => p - q), Array.from({ length: moves.length }, (_, i) => i + 1), `device ${d.id}: each epoch handed out once`);
        assert.equal(d.status === "revoked", mine.some((x) => x.op === "revoke"));
        assert.ok(mine.filter((x) => x.op === "revoke").length <= 1, `device ${d.id} revoked at most once`);

        const rows = await r.auditTrail(d.id);
        for (const op of ["add", "rotate-begin", "rotate-confirm", "epoch", "revoke"])
          assert.equal(rows.filter((a) => a.action === op).length, mine.filter((x) => x.op === op).length, `device ${d.id}: one audit row per ${op} that succeeded`);
        assert.deepEqual(replay(rows), { identity: d.identityPublic, epoch: d.epoch, status: d.status }, `device ${d.id}: the audit replays to the row`);
      }
      for (const x of done) assert.ok(byId.has(x.id), `a success on ${x.id}, which is not in the registry`);
      const check = await r.verifyAudit();
      assert.equal(check.firstBad, null);
      assert.equal(check.verified, done.length, "one audit row per success, one chain");
    } finally {
      await r.close();
    }
  });
});
