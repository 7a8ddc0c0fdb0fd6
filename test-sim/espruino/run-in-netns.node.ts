/**
 * The entry the Espruino tests spawn inside `unshare -n` (linux-device.node.ts runInNetns):
 *   story [CODE]        the main job's story (story.node.ts)
 *   cuts N [CODE]       N power cuts during pairing and sessions (power-cuts.node.ts)
 * Prints one line per step; the last line is a JSON result. Exit 0 on success.
 */
import { disposeWorld, newWorld, runStory } from "./story.node.ts";
import { runPowerCuts } from "./power-cuts.node.ts";

async function main(): Promise<number> {
  const [what, a, b] = process.argv.slice(2);
  const say = (l: string) => console.log(l);
  if (what === "story") {
    const w = newWorld(process.env.FIRSTLIGHT_ESPRUINO_BINARY ?? "espruino-v12000", process.env.FIRSTLIGHT_ESPRUINO_TRACE ? say : () => {});
    try {
      const r = await runStory(w, a ?? "31415926", say);
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
      const r = await runPowerCuts(Number(a ?? "20"), b ?? "31415926", say);
      console.log(JSON.stringify({ ok: true, cuts: r }));
      return 0;
    } catch (e) {
      console.log(JSON.stringify({ ok: false, error: String((e as Error).stack ?? e) }));
      return 1;
    }
  }
  console.error("usage: run-in-netns.node.ts story [CODE] | cuts N [CODE]");
  return 2;
}

main().then((c) => process.exit(c));
