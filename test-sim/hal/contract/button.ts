/** The Button contract: every logical edge once, polarity applied, timestamps on the Clock's timeline. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Button } from "../../../hal/button.ts";
import type { Clock } from "../../../hal/clock.ts";

export interface ButtonHarness {
  button: Button;
  clock: Clock;
  advance(ms: number): void;
  /** Drives the physical contact now (pressed = the user's finger is on it). */
  setPressed(pressed: boolean): void;
}

export function buttonContract(name: string, make: () => ButtonHarness): void {
  describe(`Button contract: ${name}`, () => {
    test("edges arrive in order with the time they happened", () => {
      const h = make();
      const edges: [boolean, number][] = [];
      h.button.watch((p, t) => edges.push([p, t]));
      h.advance(100);
      const tPress = h.clock.now();
      h.setPressed(true);
      h.advance(40);
      const tRelease = h.clock.now();
      h.setPressed(false);
      h.advance(5);
      assert.equal(edges.length, 2);
      assert.equal(edges[0][0], true);
      assert.equal(edges[1][0], false);
      assert.ok(Math.abs(edges[0][1] - tPress) < 1, `press at ${edges[0][1]}, want ${tPress}`);
      assert.ok(Math.abs(edges[1][1] - tRelease) < 1, `release at ${edges[1][1]}, want ${tRelease}`);
    });

    test("chatter is delivered raw (debouncing is firmware's job)", () => {
      const h = make();
      const edges: boolean[] = [];
      h.button.watch((p) => edges.push(p));
      for (let i = 0; i < 3; i++) {
        h.setPressed(true);
        h.advance(1);
        h.setPressed(false);
        h.advance(1);
      }
      h.advance(5);
      assert.deepEqual(edges, [true, false, true, false, true, false]);
    });

    test("unwatch stops delivery; watch again replaces the handler", () => {
      const h = make();
      let a = 0, b = 0;
      h.button.watch(() => a++);
      h.setPressed(true);
      h.advance(2);
      h.button.unwatch();
      h.setPressed(false);
      h.advance(2);
      assert.equal(a, 1);
      h.button.unwatch();
      h.button.watch(() => a++);
      h.button.watch(() => b++);
      h.setPressed(true);
      h.advance(2);
      assert.equal(a, 1, "replaced handler is silent");
      assert.equal(b, 1, "each edge delivered once");
      h.button.unwatch();
    });
  });
}
