/**
 * Variables (JsVars) the espruino-linux image uses through a pairing and a session, every step run
 * from Storage as a board runs it (story.node.ts: flashed with the espruino CLI over telnet, booted
 * from `.bootcde`): the device samples `process.memory().usage` itself every 200 ms (a sampler
 * typed on its console once the gate is open), so the figures are what is live between event-loop
 * ticks while the step runs; the console alone could not sample, as it answers only between the
 * long ticks of a handshake. Steps: first boot and gate, pairing (CPace + Noise XXpsk3 with the
 * commissioner CLI), a power cut and a boot from Storage, a Noise KK session with an echo and an
 * audit read. Must run inside a private network namespace (linux-device.node.ts runInNetns):
 *
 *   run-in-netns.node.ts memory-story [BINARY]
 *
 * On the Linux build code in Storage is read from the flash file on every access: a pairing takes
 * minutes (about 3 on a loaded host), hence a soak (memory-story.soak.ts).
 */
import { CLI_TIMEOUT_S, LINK_URL, bootWorld, cli, disposeWorld, flashWorld, newWorld, press, waitEntropy, type EspruinoWorld } from "./story.node.ts";

export interface PhaseMemory { phase: string; usage: number; peak: number; total: number }

/** An expression (the console helper sends one): a global the console reads back after the step. */
const SAMPLER = "flMem={peak:0,timer:setInterval(function(){var u=process.memory().usage;if(u>flMem.peak)flMem.peak=u;},200)},\"sampling\"";

async function usage(w: EspruinoWorld): Promise<{ usage: number; total: number; peak: number }> {
  const out = await w.device!.repl("JSON.stringify({usage:process.memory().usage,total:process.memory().total,peak:typeof flMem==='object'?flMem.peak:0})", 600000);
  const m = JSON.parse(out.split("\n").filter((l) => l.startsWith("{")).pop() ?? "{}") as { usage?: number; total?: number; peak?: number };
  if (typeof m.usage !== "number") throw new Error("no memory figure from the device: " + out);
  return { usage: m.usage, total: m.total ?? 0, peak: m.peak ?? 0 };
}

async function startSampler(w: EspruinoWorld): Promise<void> {
  await w.device!.repl(SAMPLER, 60000);
}

/** The phases with the usage when each ended and the peak sampled while it ran. */
export async function memoryStory(binary: string, say: (line: string) => void, code = "31415926"): Promise<PhaseMemory[]> {
  const w = newWorld(binary);
  const out: PhaseMemory[] = [];
  const note = async (phase: string) => {
    const m = await usage(w);
    const p = { phase, usage: m.usage, peak: Math.max(m.peak, m.usage), total: m.total };
    out.push(p);
    say(`${phase}: ${p.usage} of ${p.total} variables in use, peak ${p.peak}`);
  };
  try {
    await flashWorld(w, code);
    await waitEntropy(w, 600000);
    await startSampler(w);
    await note("first boot, gate open");
    await press(w);
    const p = await cli(w, ["--code", code, "--device", LINK_URL, "--timeout", CLI_TIMEOUT_S]);
    const id = (p.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1];
    if (p.code !== 0 || !id) throw new Error("pairing failed:\n  " + p.out.join("\n  "));
    await note("pairing");
    await bootWorld(w, "storage");
    await waitEntropy(w, 600000);
    await startSampler(w);
    await note("boot from Storage, paired, gate open");
    const s = await cli(w, ["session", "--device", LINK_URL, "--id", id, "--echo", "memory", "--audit", "--timeout", CLI_TIMEOUT_S]);
    if (s.code !== 0 || !s.out.some((l) => /memory/.test(l))) throw new Error("session failed:\n  " + s.out.join("\n  "));
    await note("session");
    return out;
  } finally {
    await disposeWorld(w);
  }
}
