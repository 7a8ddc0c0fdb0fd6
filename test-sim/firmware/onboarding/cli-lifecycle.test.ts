/**
 * `commission session --audit`, `--rotate` and `--decommission` (commissioner/cli.node.ts) against the firmware
 * device on the simulated HAL, bridged to real TCP.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommissioner, openCommissionerState } from "../../../commissioner/cli.node.ts";
import { boot, ready } from "./harness.ts";
import { bridge, settled } from "./tcp-bridge.ts";

const CODE = "20202021";

/** The registry's record of `id`. */
async function st0(dir: string, id: string) {
  const st = await openCommissionerState(dir);
  try {
    return await st.registry.get(id);
  } finally {
    await st.close();
  }
}

function io() {
  const out: string[] = [], err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

test("commission, then session --audit prints the trail, --rotate moves device and registry to a new key, --decommission unpairs the device and marks it in the registry", async () => {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-lifecycle-"));
  const w = ready(boot());
  const srv = await bridge(w);
  try {
    const a = io();
    assert.equal(await runCommissioner(["--code", CODE, "--device", srv.url, "--dir", dir, "--timeout", "5"], a.io), 0, a.err.join("\n"));
    const line = a.out.find((l) => l.startsWith("device "))!;
    const id = line.split(/\s+/)[1];
    assert.match(id, /^[0-9a-f]{16}$/);

    const b = io();
    assert.equal(await runCommissioner(["session", "--device", srv.url, "--id", id, "--audit", "--dir", dir, "--timeout", "5"], b.io), 0, b.err.join("\n"));
    const text = b.out.join("\n");
    assert.match(text, /audit trail: 5 entries, device verdict ok, highest sequence number 4/);
    for (const ev of ["BOOT", "ENTROPY_READY", "KEY_GENERATED", "PAIRING_OK", "SESSION_OPENED"]) assert.ok(text.includes(ev), ev + " in\n" + text);

    await settled(w);
    const r = io();
    const oldKey = await st0(dir, id);
    assert.equal(await runCommissioner(["session", "--device", srv.url, "--id", id, "--rotate", "--echo", "before", "--dir", dir, "--timeout", "5"], r.io), 0, r.err.join("\n"));
    assert.ok(r.out.some((l) => l.startsWith("identity rotated:")), r.out.join("\n"));
    const newKey = await st0(dir, id);
    assert.notEqual(newKey.identityPublic, oldKey.identityPublic);
    assert.equal(newKey.epoch, oldKey.epoch + 1);
    assert.equal(newKey.status, "active");
    assert.equal(Buffer.from(w.device.identityPublicKey()!).toString("hex"), newKey.identityPublic);
    await settled(w);
    const r2 = io();
    assert.equal(await runCommissioner(["session", "--device", srv.url, "--id", id, "--echo", "with the new key", "--dir", dir, "--timeout", "5"], r2.io), 0, r2.err.join("\n"));
    await settled(w);
    const c = io();
    assert.equal(await runCommissioner(["session", "--device", srv.url, "--id", id, "--decommission", "--dir", dir, "--timeout", "5"], c.io), 0, c.err.join("\n"));
    assert.ok(c.out.some((l) => l.startsWith("decommissioned:")), c.out.join("\n"));
    assert.equal(w.device.state(), "unpaired");
    const st = await openCommissionerState(dir);
    assert.equal((await st.registry.get(id)).status, "decommissioned");
    await st.close();

    // The registry now refuses sessions with it, before any byte is sent.
    const d = io();
    assert.equal(await runCommissioner(["session", "--device", srv.url, "--id", id, "--dir", dir, "--timeout", "5"], d.io), 1);
    assert.match(d.err.join("\n"), /DEVICE_NOT_ACTIVE/);
    // Flags belong to the session command.
    const e = io();
    assert.equal(await runCommissioner(["--code", CODE, "--device", srv.url, "--audit", "--dir", dir], e.io), 2);
  } finally {
    await srv.close();
    w.device.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
