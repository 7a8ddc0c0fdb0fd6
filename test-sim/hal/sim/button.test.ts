import { test } from "node:test";
import assert from "node:assert/strict";
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimButton } from "../../../hal/sim/button.ts";

test("press(hold) emits press and release at the scripted times", () => {
  const clock = new SimClock();
  const b = new SimButton(clock);
  const edges: [boolean, number][] = [];
  b.watch((p, t) => edges.push([p, t]));
  const settled = b.press(3000, { atMs: 100 });
  clock.advance(5000);
  assert.deepEqual(edges, [[true, 100], [false, 3100]]);
  assert.equal(settled, 3100);
});

test("bounce adds chatter inside bounceMs after each transition and settles on the right level", () => {
  const clock = new SimClock();
  const b = new SimButton(clock);
  const edges: [boolean, number][] = [];
  b.watch((p, t) => edges.push([p, t]));
  b.press(200, { bounceEdges: 3, bounceMs: 8 }); // rounded up to 4
  clock.advance(1000);
  assert.equal(edges.length, 2 * (1 + 4));
  const press = edges.slice(0, 5), release = edges.slice(5);
  assert.deepEqual(press.map((e) => e[0]), [true, false, true, false, true]);
  assert.deepEqual(release.map((e) => e[0]), [false, true, false, true, false]);
  for (const [, t] of press) assert.ok(t >= 0 && t < 8);
  for (const [, t] of release) assert.ok(t >= 200 && t < 208);
  assert.equal(b.isPressed(), false);
});

test("setLevel reports changes only; cancelScript drops scheduled edges", () => {
  const clock = new SimClock();
  const b = new SimButton(clock);
  let n = 0;
  b.watch(() => n++);
  b.setLevel(false);
  b.setLevel(true);
  b.setLevel(true);
  assert.equal(n, 1);
  b.setLevel(false);
  b.press(100);
  b.cancelScript();
  clock.advance(500);
  assert.equal(n, 2);
});
