/** The HAL contracts against the simulator's drivers. */
import { SimClock } from "../../../hal/sim/clock.ts";
import { SimButton } from "../../../hal/sim/button.ts";
import { SimFlash } from "../../../hal/sim/flash.ts";
import { createLinkPair } from "../../../hal/sim/link.ts";
import { clockContract } from "../contract/clock.ts";
import { buttonContract } from "../contract/button.ts";
import { flashContract } from "../contract/flash.ts";
import { linkContract } from "../contract/link.ts";

clockContract("SimClock", () => {
  const clock = new SimClock();
  return { clock, advance: (ms) => void clock.advance(ms) };
});

buttonContract("SimButton", () => {
  const clock = new SimClock();
  const button = new SimButton(clock);
  return { button, clock, advance: (ms) => void clock.advance(ms), setPressed: (p) => button.setLevel(p) };
});

for (const g of [
  { pageSize: 4096, pageCount: 4, writeSize: 4 },
  { pageSize: 256, pageCount: 3, writeSize: 1 },
  { pageSize: 2048, pageCount: 2, writeSize: 8 },
  { pageSize: 16384, pageCount: 2, writeSize: 16 },
]) {
  flashContract(`SimFlash ${g.pageSize}×${g.pageCount}/${g.writeSize}`, () => ({ flash: new SimFlash(g) }));
}

linkContract("createLinkPair, immediate", () => ({ pair: () => createLinkPair(), settle: () => {} }));
linkContract("createLinkPair, 1-byte chunks", () => ({ pair: () => createLinkPair({ maxChunk: 1 }), settle: () => {} }));
{
  const make = () => {
    const clock = new SimClock();
    return { pair: () => createLinkPair({ clock, delayMs: 3, maxChunk: 17, splitSeed: 99 }), settle: () => void clock.runUntilIdle(1e6) };
  };
  linkContract("createLinkPair, delayed random chunks", make);
}
