/**
 * The main job's story on the JerryScript port (`npm start -- --engine jerryscript`), also run by
 * the end-to-end test: the port boots the device image's snapshot on a 64 KB heap, its entropy gate
 * opens on getrandom(), the button is pressed, the commissioner pairs over TCP, the process is
 * killed (power off), a new one boots from the flash file and comes back paired, a Noise KK session
 * echoes, and (as asked) the identity key is rotated and the device decommissioned.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { commission, openCommissionerState, runSession } from "../../../commissioner/cli.node.ts";
import { buildPort, buildSnapshot, type JerryPort, type JerrySnapshot } from "./build.node.ts";
import { JerryDevice, type JerryStatus } from "./device.node.ts";

export interface JerryStoryOptions {
  code: string;
  /** The device's flash file; erased at the start. */
  flashPath: string;
  /** The device secret file; made (32 random bytes) when missing. */
  secretPath: string;
  commissionerDir: string;
  heapKb?: number;
  messages?: { kind: "echo" | "text"; text: string }[];
  lifecycle?: { audit?: boolean; rotate?: boolean; rotateStorage?: boolean; decommission?: boolean };
  port?: JerryPort;
  snapshot?: JerrySnapshot;
  out: (line: string) => void;
  /** Every device stdout line (tests keep them for a failure message). */
  onDeviceLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface JerryStoryResult {
  ok: boolean;
  deviceId: string;
  identityPublic: string;
  /** jerry_heap_stats after each phase (peak = the process's high-water mark so far). */
  heap: { boot: JerryStatus["heap"]; paired: JerryStatus["heap"]; session: JerryStatus["heap"] };
  echoes: number;
  finalState: string;
  snapshot: JerrySnapshot;
}

const rel = (p: string) => relative(process.cwd(), p) || p;

function heapLine(h: JerryStatus["heap"]): string {
  return `heap ${h.allocated} B in use, peak ${h.peak} B of ${h.size} B`;
}

export async function runJerryStory(o: JerryStoryOptions): Promise<JerryStoryResult> {
  const out = o.out;
  const port = o.port ?? buildPort();
  const snapshot = o.snapshot ?? buildSnapshot(port);
  mkdirSync(join(o.flashPath, ".."), { recursive: true });
  rmSync(o.flashPath, { force: true });
  rmSync(o.commissionerDir, { recursive: true, force: true });
  if (!existsSync(o.secretPath)) writeFileSync(o.secretPath, randomBytes(32), { mode: 0o600 });
  // The board profile's heap: the store reads flash through a 256-byte window and one record at a
  // time, so the first-life shred, the key lifecycle and the rest fit beside the ~40 KB the device
  // keeps live (docs/engines.md, "JerryScript").
  const heapKb = o.heapKb ?? 64;
  const boot = () => JerryDevice.boot({ port, snapshot, flashPath: o.flashPath, secretPath: o.secretPath, setupCode: o.code, heapKb, onLine: o.onDeviceLine, env: o.env });

  out("firstlight on the JerryScript port: the device image as a static snapshot, a " + heapKb + " KB JerryScript heap");
  out(`   port     ${rel(port.bin)}${port.sanitize ? " (ASan + UBSan)" : ""}${port.accel ? ", the native crypto kernel (ports/cortex-m) through the accelerator interface" : ""}`);
  out(`   image    ${rel(snapshot.snapshot)} ${snapshot.snapshotBytes} B + literal table ${snapshot.literalsBytes} B (source ${snapshot.sourceBytes} B)`);
  out(`   flash    ${rel(o.flashPath)} (erased)   secret ${rel(o.secretPath)}`);
  out("");

  let dev = await boot();
  try {
    out(`1. boot: link ${dev.url}`);
    await dev.waitGate();
    const booted = await dev.status();
    out(`2. entropy gate open (getrandom): ${booted.device.entropy.credited} bits credited; ${heapLine(booted.heap)}`);
    await dev.press(250);
    await dev.seenOrWait((l) => /commissioning window opened/.test(l), "the commissioning window");
    out("3. button pressed: commissioning window open");
    const st = await openCommissionerState(o.commissionerDir);
    let deviceId = "", identityPublic = "";
    try {
      const r = await commission({ code: o.code, device: dev.url, label: "jerryscript", state: st, out: (l) => out("   comm    " + l) });
      deviceId = r.record.id;
      identityPublic = r.record.identityPublic;
      out(`4. paired in ${Math.round(r.ms.pairing)} ms: identity key id ${deviceId}, board ${r.record.board}`);
    } finally {
      await st.close();
    }
    const paired = await dev.status();
    if (paired.device.state !== "paired") throw new Error(`after pairing the device is ${paired.device.state}`);
    out(`   ${heapLine(paired.heap)}`);

    await dev.kill();
    out("5. power off (SIGKILL): RAM gone, the flash file keeps the store");
    dev = await boot();
    await dev.waitGate();
    const again = await dev.status();
    if (again.device.state !== "paired") throw new Error(`after the reboot the device is ${again.device.state}`);
    out(`6. rebooted from ${rel(o.flashPath)}: paired`);

    const st2 = await openCommissionerState(o.commissionerDir);
    let echoes = 0;
    try {
      const msgs = o.messages ?? [{ kind: "echo", text: "hello, jerry" }, { kind: "echo", text: "a second echo" }];
      const s = await runSession({ device: dev.url, id: deviceId, state: st2, messages: msgs, out: (l) => out("   comm    " + l) });
      echoes = s.exchanged.filter((x) => x.received !== undefined && x.received === x.sent).length;
      out(`7. session: ${s.stats.sent} DATA sent, ${s.stats.received} received, ${echoes} echoes checked`);
    } finally {
      await st2.close();
    }
    await dev.seenOrWait((l) => /session (closed|ended)|link closed/.test(l), "the session's end", 5000).catch(() => "");
    const session = await dev.status();
    out(`   ${heapLine(session.heap)}`);

    const lc = o.lifecycle ?? {};
    let finalState = session.device.state;
    if (lc.audit || lc.rotate || lc.rotateStorage || lc.decommission) {
      const st3 = await openCommissionerState(o.commissionerDir);
      try {
        const r = await runSession({ device: dev.url, id: deviceId, state: st3, messages: [], audit: lc.audit, rotate: lc.rotate, rotateStorage: lc.rotateStorage, decommission: lc.decommission, out: (l) => out("   comm    " + l) });
        if (lc.rotate && !r.rotatedTo) throw new Error("the identity rotation did not complete");
        if (lc.decommission && !r.decommissioned) throw new Error("the device did not acknowledge the decommission");
        out(`8. lifecycle: registry ${deviceId} ${(await st3.registry.get(deviceId)).status}, epoch ${(await st3.registry.get(deviceId)).epoch}`);
      } finally {
        await st3.close();
      }
      const after = await waitState(dev, lc.decommission ? "unpaired" : "paired");
      finalState = after.device.state;
      out(`   device state: ${finalState}`);
    }
    const faults = (await dev.status()).faults;
    out(faults ? `   ${faults} uncaught exception(s) on the device` : "   OK");
    return { ok: faults === 0, deviceId, identityPublic, heap: { boot: booted.heap, paired: paired.heap, session: session.heap }, echoes, finalState, snapshot };
  } finally {
    await dev.kill();
  }
}

/** Polls status until the device is in `state` (a close is handled a moment after the ACK). */
async function waitState(dev: JerryDevice, state: string, timeoutMs = 5000): Promise<JerryStatus> {
  const t0 = Date.now();
  for (;;) {
    const s = await dev.status();
    if (s.device.state === state || Date.now() - t0 > timeoutMs) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}
