/** The NodeMCU drivers (hal/nodemcu) against the HAL contracts, on NodeMCU's modules mocked in JavaScript. */
import { buttonContract } from "../contract/button.ts";
import { clockContract } from "../contract/clock.ts";
import { flashContract } from "../contract/flash.ts";
import { linkContract } from "../contract/link.ts";
import { trngContract } from "../contract/trng.ts";
import { nodemcuButton } from "../../../hal/nodemcu/button.ts";
import { nodemcuClock } from "../../../hal/nodemcu/clock.ts";
import { nodemcuFileFlash } from "../../../hal/nodemcu/flash.ts";
import { nodemcuLinkServer } from "../../../hal/nodemcu/link.ts";
import { nodemcuTrng } from "../../../hal/nodemcu/trng.ts";
import type { Link } from "../../../hal/link.ts";
import { mockNodeMcu } from "../nodemcu-mock.ts";

const AREA = { pageSize: 4096, pageCount: 8, writeSize: 4 };

flashContract("nodemcu file area", () => {
  const m = mockNodeMcu();
  return { flash: nodemcuFileFlash(m.env.file, "firstlight.nor", AREA) };
});

// Started just below the 31-bit wrap of tmr.now(): the contract runs across it.
clockContract("nodemcu tmr", () => {
  const m = mockNodeMcu({ startUs: 2147483648 - 50000 });
  return { clock: nodemcuClock(m.env.tmr), advance: m.advance };
});

buttonContract("nodemcu gpio.trig (active low)", () => {
  const m = mockNodeMcu({ startUs: 2147483648 - 20000 });
  const clock = nodemcuClock(m.env.tmr);
  return { button: nodemcuButton(m.env.gpio, clock, 3, true), clock, advance: m.advance, setPressed: (p: boolean) => m.setPin(3, p ? 0 : 1) };
});

trngContract("nodemcu node.random", () => {
  const m = mockNodeMcu();
  const clock = nodemcuClock(m.env.tmr);
  return {
    trng: nodemcuTrng(m.env.node, m.env.wifi, (fn) => clock.after(0, fn)),
    settle: () => m.advance(10),
    breakSource: () => { (m.env.node as { random: (l: number, u: number) => number }).random = () => NaN; },
    alwaysAsync: true,
  };
});

linkContract("nodemcu net server", () => {
  const m = mockNodeMcu();
  const server = nodemcuLinkServer(m.env.net, 5555);
  let dev: Link | null = null;
  server.start((l) => { dev = l; });
  return {
    pair: (): [Link, Link] => {
      const com = m.connect(5555);
      return [dev as unknown as Link, com];
    },
    settle: () => m.advance(1),
  };
});
