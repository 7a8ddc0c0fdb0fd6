/**
 * The device pairing end to end on Lua: the nodemcu-esp8266 board image on the simulated NodeMCU
 * (lua5.1 or lua5.3), the commissioner CLI over TCP. First boot (the device root from the entropy
 * gate), a button press on the board's pin, a wrong setup code (refused, one failed attempt
 * counted), pairing, a power cut (SIGKILL) and a boot from the
 * flash file, a Noise KK session with echo and the audit read. Peak Lua memory
 * (collectgarbage("count"), KB) is taken during the pairing and during the session.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommissioner } from "../../commissioner/cli.node.ts";
import type { LuaVersion } from "../engines/lua.ts";
import { freePort, nodemcuCensus, nodemcuMemory, nodemcuMemoryReset, nodemcuStatus, startNodeMcu, type NodeMcuDevice } from "./device.node.ts";

export interface NodeMcuStory {
  lua: LuaVersion;
  deviceId: string;
  pairMs: number;
  sessionMs: number;
  /**
   * collectgarbage("count") in KB: `imageKb` what the loaded image holds (code and constants, in
   * flash under LFS), `bootKb` all of it after boot with the gate open and a full collection, and
   * the peaks during the pairing and the session (sampled every 1000 VM instructions).
   */
  imageKb: number;
  bootKb: number;
  /** What is reachable after boot (closures, tables, slots, arrays, elements, strings, stringBytes), the simulator's own included. */
  census: Record<string, number>;
  pairPeakKb: number;
  sessionPeakKb: number;
  steps: string[];
}

async function cli(dir: string, argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCommissioner([...argv, "--dir", dir], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out };
}

async function waitEntropy(d: NodeMcuDevice, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const s = await nodemcuStatus(d);
    if (s.problem) throw new Error("the device did not start: " + s.problem);
    if (s.entropy === "ready") return;
    if (s.entropy === "failed") throw new Error("the entropy gate failed");
    if (Date.now() - t0 > timeoutMs) throw new Error(`entropy gate not open after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runNodeMcuStory(lua: LuaVersion, say: (line: string) => void = () => {}, o: { gcPause?: number; narrow?: boolean } = {}): Promise<NodeMcuStory> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-nodemcu-"));
  const flashDir = join(dir, "spiffs"), commissionerDir = join(dir, "commissioner");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(flashDir);
  const code = "31415926";
  const port = await freePort();
  const url = "tcp://127.0.0.1:" + port;
  const steps: string[] = [];
  const step = (s: string) => { steps.push(s); say(`lua${lua}${o.narrow ? " (32-bit integers)" : ""}: ${s}`); };
  let d: NodeMcuDevice | null = null;
  try {
    d = startNodeMcu({ lua, flashDir, code, port, gcPause: o.gcPause, narrow: o.narrow });
    await d.waitLog(/firstlight: device started: unpaired/, 60000);
    await waitEntropy(d, 60000);
    step("first boot: device root made, gate open, unpaired");
    const census = await nodemcuCensus(d);
    const { nowKb: bootKb, imageKb } = await nodemcuMemoryReset(d);
    let from = d.lines.length;
    await d.ask("press 250", /^pressed/);
    await d.waitLog(/commissioning window opened/, 10000, from);
    step("button: 250 ms on pin 3 (gpio.trig): window open");
    const wrong = await cli(commissionerDir, ["--code", "27182818", "--device", url, "--timeout", "120"]);
    if (wrong.code === 0) throw new Error("a wrong setup code paired:\n  " + wrong.out.join("\n  "));
    const afterWrong = await nodemcuStatus(d);
    if (afterWrong.failed !== 1 || afterWrong.paired) throw new Error("after a wrong code the device should count 1 failed attempt, unpaired: " + JSON.stringify(afterWrong));
    step(`wrong setup code refused (${wrong.out.filter((l) => /error|refused|fail/i.test(l))[0] ?? "no message"}), 1 failed attempt counted`);
    let t = Date.now();
    const p = await cli(commissionerDir, ["--code", code, "--device", url, "--timeout", "120", "--label", "nodemcu-" + lua]);
    const pairMs = Date.now() - t;
    if (p.code !== 0) throw new Error("pairing failed:\n  " + p.out.join("\n  ") + "\ndevice:\n  " + d.lines.slice(-20).join("\n  "));
    const deviceId = (p.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1];
    if (!deviceId) throw new Error("no device id in the commissioner's output:\n  " + p.out.join("\n  "));
    const pairPeakKb = (await nodemcuMemory(d)).peakKb;
    step(`pairing: device ${deviceId} over ${url} in ${pairMs} ms`);
    await d.kill();
    d = startNodeMcu({ lua, flashDir, code, port, gcPause: o.gcPause, narrow: o.narrow });
    await d.waitLog(/firstlight: device started/, 60000);
    await waitEntropy(d, 60000);
    const s0 = await nodemcuStatus(d);
    if (!s0.paired) throw new Error("after the power cut the device is not paired:\n  " + d.lines.join("\n  "));
    step("power cut (SIGKILL), boot from the flash file: paired");
    await nodemcuMemoryReset(d);
    from = d.lines.length;
    t = Date.now();
    const s = await cli(commissionerDir, ["session", "--device", url, "--id", deviceId, "--echo", "hello, nodemcu", "--audit", "--timeout", "120"]);
    const sessionMs = Date.now() - t;
    if (s.code !== 0) throw new Error("session failed:\n  " + s.out.join("\n  ") + "\ndevice:\n  " + d.lines.slice(from).join("\n  "));
    if (!s.out.some((l) => /hello, nodemcu/.test(l))) throw new Error("no echo in:\n  " + s.out.join("\n  "));
    if (!s.out.some((l) => /audit/i.test(l))) throw new Error("no audit trail in:\n  " + s.out.join("\n  "));
    const sessionPeakKb = (await nodemcuMemory(d)).peakKb;
    step(`session: Noise KK, echo "hello, nodemcu", audit read in ${sessionMs} ms`);
    return { lua, deviceId, pairMs, sessionMs, imageKb, bootKb, census, pairPeakKb, sessionPeakKb, steps };
  } finally {
    if (d) await d.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
