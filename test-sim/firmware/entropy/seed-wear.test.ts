import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBoard, listBoards } from "../../../build/boards.ts";
import { board } from "./helpers.ts";
import { idleWear, seedSavesPerIdleDay } from "./seed-wear.ts";

// Issue 10 item 3: a seed save at every 60 s reseed wore an idle device's worst page out in 1.8–3 years.
test("an idle paired device's boot seed leaves every board's flash at least 50 years of life", () => {
  const savesPerDay = seedSavesPerIdleDay(board(8), 1);
  assert.ok(savesPerDay <= 6, `seed saves per idle day: ${savesPerDay}`);
  for (const name of listBoards()) {
    const b = loadBoard(name);
    const w = idleWear(b, savesPerDay, 600);
    assert.ok(w.years >= 50, `${name}: ${w.erasesPerPagePerDay.toFixed(3)} erases/page/day on ${w.pages} store pages → ${w.years.toFixed(1)} years`);
  }
});
