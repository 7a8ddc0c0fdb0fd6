/**
 * The nodemcu-esp8266 board image on the simulated NodeMCU (test-sim/nodemcu/story.node.ts), on
 * lua5.1 and lua5.3: the image's size against the board's LFS budget, pairing and session times
 * (commissioner CLI over loopback TCP, host speed), and Lua memory (collectgarbage("count")):
 * what the loaded image holds, the total after boot, and the peaks during pairing and session,
 * with Lua's default collector (pause 200) and with pause 100 (a cycle starts as soon as the last
 * ends: the peak then comes close to what is live).
 */
import { statSync } from "node:fs";
import { loadBoard } from "../build/boards.ts";
import type { BenchRow } from "./run.ts";
import { LUA_VERSIONS, missingLua } from "../test-sim/engines/lua.ts";
import { NODEMCU_BOARD, NODEMCU_IMAGE } from "../test-sim/nodemcu/device.node.ts";
import { runNodeMcuStory } from "../test-sim/nodemcu/story.node.ts";

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const board = loadBoard(NODEMCU_BOARD);
  rows.push({ name: "board image (Lua source: runtime + bundle)", engine: "lua", value: statSync(NODEMCU_IMAGE).size, unit: "B", note: `budget ${board.budgets.codeBytes} B (LFS)`, target: { goal: `≤ ${board.budgets.codeBytes} B`, met: statSync(NODEMCU_IMAGE).size <= board.budgets.codeBytes } });
  for (const v of LUA_VERSIONS) {
    if (missingLua(v)) continue;
    const r = await runNodeMcuStory(v);
    const tight = await runNodeMcuStory(v, () => {}, { gcPause: 100 });
    const section = `nodemcu-esp8266 on lua${v} (simulated NodeMCU, host speed)`;
    rows.push({ section, name: "pairing (press to PAIR_DONE, commissioner CLI)", engine: `lua${v}`, value: r.pairMs, unit: "ms" });
    rows.push({ section, name: "session (KK, echo, audit read)", engine: `lua${v}`, value: r.sessionMs, unit: "ms" });
    rows.push({ section, name: "memory: the loaded image", engine: `lua${v}`, value: r.imageKb, unit: "KB", note: "code and constants: in flash under LFS" });
    rows.push({ section, name: "memory: after boot (gate open, full collection)", engine: `lua${v}`, value: r.bootKb, unit: "KB", note: "image included" });
    const c = r.census;
    rows.push({ section, name: "live after boot: closures", engine: `lua${v}`, value: c.closures, unit: "", note: `${c.tables} tables of ${c.slots} slots; ${c.arrays} typed arrays, ${c.elements} elements; ${c.strings} strings, ${c.stringBytes} B (the simulator's own included)` });
    rows.push({ section, name: "memory: peak during pairing", engine: `lua${v}`, value: r.pairPeakKb, unit: "KB", note: `setpause 200; with setpause 100: ${tight.pairPeakKb} KB` });
    rows.push({ section, name: "memory: peak during session", engine: `lua${v}`, value: r.sessionPeakKb, unit: "KB", note: `setpause 200; with setpause 100: ${tight.sessionPeakKb} KB` });
    rows.push({ section, name: "memory: pairing peak above the image, setpause 100", engine: `lua${v}`, value: Math.round((tight.pairPeakKb - tight.imageKb) * 10) / 10, unit: "KB", note: `board heap ${board.budgets.heapBytes / 1024} KB` , target: { goal: `≤ ${board.budgets.heapBytes / 1024} KB`, met: tight.pairPeakKb - tight.imageKb <= board.budgets.heapBytes / 1024 } });
  }
  return rows;
}
