/**
 * Power cuts (SIGKILL) at random moments while the espruino-linux device pairs and runs sessions.
 * After every cut the device boots again from Storage and its flash file and must be paired or
 * unpaired, never broken (it starts, its gate opens, it answers), and its failed-attempt count
 * never goes down (only a successful pairing resets it, docs/protocol.md §2.2). Between cuts the
 * loop keeps the device usable: a full pairing when the count nears the lock-out, a long press
 * (factory reset) when the device is paired to a commissioner that never heard PAIR_DONE, a
 * decommission when it is paired and known.
 *
 * Run inside a private network namespace (linux-device.node.ts, runInNetns).
 */
import { randomInt } from "node:crypto";
import { LINK_URL, CLI_TIMEOUT_S, bootWorld, cli, flashWorld, flashWorldByFile, newWorld, press, status, waitEntropy, disposeWorld, type BootFrom, type EspruinoWorld } from "./story.node.ts";

export interface CutReport { cuts: number; during: { pairing: number; session: number }; storageBoots: number; checks: string[] }

/**
 * Longest pause before a cut, from the start of a pairing / a session. The device works on a RAM
 * boot of its flash file (story.node.ts BootFrom), where a pairing takes about 9 s and a session
 * about 7 s on an idle machine (from Storage on the Linux build: ~130 s and ~70 s).
 */
export const PAIRING_WINDOW_MS = 12000;
export const SESSION_WINDOW_MS = 9000;
/** Every STORAGE_EVERY-th check boots from Storage on the world's binary, as a board does (the soak). */
export const STORAGE_EVERY = 4;

export interface CutOptions {
  /** Which checks boot from Storage on the world's binary: every n-th cut and the last (Infinity: none). */
  storageEvery: number;
  /** "telnet": `npm run flash`'s path and a first boot from Storage; "file": the upload run as a file (story.node.ts flashWorldByFile). */
  flashBy: "telnet" | "file";
}

/** Cuts the power `ms` after the start of `run`, or when it ends if sooner: whether the cut came first, and the run's time when it did not. */
async function cutAfter(w: EspruinoWorld, run: Promise<unknown>, ms: number): Promise<{ cut: boolean; tookMs: number }> {
  const start = Date.now();
  const cut = new Promise<"cut">((r) => setTimeout(() => r("cut"), ms));
  const first = await Promise.race([run.then(() => "done" as const, () => "done" as const), cut]);
  const tookMs = Date.now() - start;
  await w.device!.kill();
  await run.catch(() => undefined);
  return { cut: first === "cut", tookMs };
}

export async function runPowerCuts(cuts: number, code: string, say: (l: string) => void, binary = "espruino-v12000", opts: CutOptions = { storageEvery: STORAGE_EVERY, flashBy: "telnet" }): Promise<CutReport> {
  const w = newWorld(binary);
  const report: CutReport = { cuts: 0, during: { pairing: 0, session: 0 }, storageBoots: 0, checks: [] };
  let bootedFrom = "storage" as BootFrom;
  const boot = async (from: BootFrom) => {
    await bootWorld(w, from);
    bootedFrom = from;
    await waitEntropy(w);
  };
  let knownId: string | null = null;
  // A pairing that ends before its cut leaves the device paired, and every later cut would land in
  // a session: the cut moment is drawn inside the last whole pairing's time, and a device paired
  // before any pairing was cut is decommissioned (uncut) to pair again.
  let pairingMs = PAIRING_WINDOW_MS;
  try {
    if (opts.flashBy === "file") {
      await flashWorldByFile(w, code);
      await boot("ram");
    } else {
      await flashWorld(w, code);
      await waitEntropy(w);
    }
    while (report.cuts < cuts) {
      if (bootedFrom !== "ram") await boot("ram");
      const before = await status(w);
      let cutNow = false;
      if (before.paired && knownId === null) {
        // Paired to a commissioner that never heard PAIR_DONE: the owner's way out is the long press.
        say(`device paired but unknown to the registry: factory reset (long press)`);
        await w.device!.repl("firstlight.board.press(10500)");
        await w.device!.waitLog(/firstlight: device started: unpaired/, 180000, w.device!.lines.length).catch(async () => { await boot("ram"); });
        await waitEntropy(w);
        continue;
      }
      if (before.paired && knownId !== null && report.during.pairing === 0 && report.cuts + 1 < cuts) {
        say(`no cut has landed in a pairing yet: decommission (uncut) to pair again`);
        const d = await cli(w, ["session", "--device", LINK_URL, "--id", knownId, "--decommission", "--timeout", CLI_TIMEOUT_S]);
        if (d.code !== 0) throw new Error("decommission failed:\n  " + d.out.join("\n  "));
        knownId = null;
        await boot("ram");
        continue;
      }
      if (!before.paired) {
        if (before.failedAttempts >= 15) {
          say(`failed attempts at ${before.failedAttempts}: a full pairing resets the count`);
          await press(w);
          const p = await cli(w, ["--code", code, "--device", LINK_URL, "--timeout", CLI_TIMEOUT_S]);
          if (p.code !== 0) throw new Error("full pairing failed:\n  " + p.out.join("\n  "));
          knownId = (p.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1] ?? null;
          continue;
        }
        await press(w);
        const ms = randomInt(0, pairingMs);
        const run = cli(w, ["--code", code, "--device", LINK_URL, "--timeout", CLI_TIMEOUT_S]);
        const c = await cutAfter(w, run, ms), wasCut = c.cut;
        if (!wasCut) pairingMs = Math.max(1000, c.tookMs);
        const r = await run.catch(() => ({ code: 1, out: [] as string[] }));
        if (r.code === 0) knownId = (r.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1] ?? null;
        if (wasCut) { report.cuts++; report.during.pairing++; }
        cutNow = wasCut;
        say(`cut ${report.cuts}: ${wasCut ? "during pairing after " + (ms / 1000).toFixed(1) + " s" : "after the pairing finished"}`);
      } else {
        const ms = randomInt(0, SESSION_WINDOW_MS);
        const last = report.cuts + 1 >= cuts;
        const args = ["session", "--device", LINK_URL, "--id", knownId as string, "--echo", "cut me", "--audit", "--timeout", CLI_TIMEOUT_S];
        if (last) args.push("--decommission");
        const run = cli(w, args);
        const wasCut = (await cutAfter(w, run, ms)).cut;
        const r = await run.catch(() => ({ code: 1, out: [] as string[] }));
        if (last && r.code === 0) knownId = null;
        if (wasCut) { report.cuts++; report.during.session++; }
        cutNow = wasCut;
        say(`cut ${report.cuts}: ${wasCut ? "during a session after " + (ms / 1000).toFixed(1) + " s" : "after the session finished"}`);
      }
      // The checks: it boots, its gate opens, it answers, and nothing went backwards.
      const from: BootFrom = cutNow && opts.storageEvery !== Infinity && (report.cuts % opts.storageEvery === 0 || report.cuts === cuts) ? "storage" : "ram";
      await boot(from);
      if (from === "storage") report.storageBoots++;
      const after = await status(w);
      if (typeof after.paired !== "boolean" || /halted|entropy-failed/.test(after.state)) throw new Error("device broken after a cut: " + JSON.stringify(after));
      if (!after.paired && after.failedAttempts < before.failedAttempts)
        throw new Error(`failed-attempt count went down across a cut: ${before.failedAttempts} → ${after.failedAttempts}`);
      if (after.paired && !before.paired && knownId === null) report.checks.push("paired on the device, PAIR_DONE not heard by the commissioner");
      report.checks.push(`${after.paired ? "paired" : "unpaired"}, ${after.failedAttempts} failed (booted from ${from})`);
      say(`  after the cut (boot from ${from}): ${after.paired ? "paired" : "unpaired"}, ${after.failedAttempts} failed attempts (before: ${before.failedAttempts})`);
    }
    return report;
  } finally {
    await disposeWorld(w);
  }
}
