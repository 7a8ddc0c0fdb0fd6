/**
 * The entry the Espruino tests spawn inside `unshare -n` (linux-device.node.ts runInNetns):
 *   story [CODE [ram]]  the main job's story (story.node.ts); `ram`: pairing and session on a RAM boot
 *   cuts N [CODE [quick]]  N power cuts during pairing and sessions (power-cuts.node.ts); `quick`: flashed
 *                       from the upload file, every check on a RAM boot (npm test)
 *   measure             one pairing and one session: callgrind instructions and wall time (measure.node.ts)
 *   measure-pairing     the pairing's callgrind instructions alone, from a freshly flashed file
 *   load BINARY         flash, boot on BINARY, open the gate: {loaded, usage, total} or the error
 *   memory-story [BINARY]  pairing and session from Storage, variables per phase (memory-story.node.ts)
 *   console             the console wedge on a busy Espruino and its cure (console.node.ts)
 * Prints one line per step; the last line is a JSON result. Exit 0 on success.
 */
import { bootWorld, disposeWorld, flashWorld, newWorld, runStory, waitEntropy } from "./story.node.ts";
import { runPowerCuts } from "./power-cuts.node.ts";
import { measure, measurePairingInstr } from "./measure.node.ts";
import { memoryStory } from "./memory-story.node.ts";
import { showConsoleWedge } from "./console.node.ts";

async function main(): Promise<number> {
  const [what, a, b, c] = process.argv.slice(2);
  const say = (l: string) => console.log(l);
  if (what === "story") {
    const w = newWorld(process.env.FIRSTLIGHT_ESPRUINO_BINARY ?? "espruino-v12000", process.env.FIRSTLIGHT_ESPRUINO_TRACE ? say : () => {});
    try {
      const r = await runStory(w, a ?? "31415926", say, b === "ram" ? "ram" : "storage");
      console.log(JSON.stringify({ ok: true, story: r }));
      return 0;
    } catch (e) {
      console.log(w.device ? w.device.lines.filter((l) => /firstlight|Uncaught/.test(l)).slice(-20).join("\n") : "");
      console.log(JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) }));
      return 1;
    } finally {
      await disposeWorld(w);
    }
  }
  if (what === "cuts") {
    try {
      const n = Number(a ?? "20");
      const r = await runPowerCuts(n, b ?? "31415926", say, "espruino-v12000", c === "quick" ? { storageEvery: Infinity, flashBy: "file" } : undefined);
      console.log(JSON.stringify({ ok: true, cuts: r }));
      return 0;
    } catch (e) {
      console.log(JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) }));
      return 1;
    }
  }
  if (what === "measure-pairing") {
    try {
      console.log(JSON.stringify({ ok: true, pairingInstr: await measurePairingInstr(say) }));
      return 0;
    } catch (e) {
      console.log(JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) }));
      return 1;
    }
  }
  if (what === "measure") {
    try {
      console.log(JSON.stringify({ ok: true, measured: await measure(say) }));
      return 0;
    } catch (e) {
      console.log(JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) }));
      return 1;
    }
  }
  if (what === "memory-story") {
    try {
      console.log(JSON.stringify({ ok: true, phases: await memoryStory(a ?? "espruino-v12000", say) }));
      return 0;
    } catch (e) {
      console.log(JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) }));
      return 1;
    }
  }
  if (what === "console") {
    try {
      console.log(JSON.stringify({ ok: true, console: await showConsoleWedge(a ?? "espruino") }));
      return 0;
    } catch (e) {
      console.log(JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) }));
      return 1;
    }
  }
  if (what === "load") {
    // Flash, boot on the given build, wait for the gate: does the image load, and what does it use?
    const w = newWorld(a ?? "espruino-v2500");
    try {
      await flashWorld(w, "31415926");
      try {
        await bootWorld(w);
        await waitEntropy(w);
      } catch (e) {
        const why = (w.device ? w.device.lines : []).find((l) => /MEMORY|Uncaught|ASSERT/.test(l)) ?? String(e);
        console.log(JSON.stringify({ ok: true, loaded: false, error: why.trim() }));
        return 0;
      }
      const m = JSON.parse((await w.device!.repl("JSON.stringify(process.memory())")).split("\n").filter((l) => l.startsWith("{")).pop() ?? "{}");
      console.log(JSON.stringify({ ok: true, loaded: true, usage: m.usage, total: m.total }));
      return 0;
    } finally {
      await disposeWorld(w);
    }
  }
  console.error("usage: run-in-netns.node.ts story [CODE [ram]] | measure | cuts N [CODE [quick]] | load BINARY | memory-story [BINARY] | console [BINARY]");
  return 2;
}

main().then((c) => process.exit(c));
