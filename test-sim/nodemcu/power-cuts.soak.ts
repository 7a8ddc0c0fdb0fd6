/**
 * Power cuts on the Lua board (`npm run soak`): the nodemcu-esp8266 image on the simulated NodeMCU,
 * SIGKILLed at a random moment of its first boot (while the device root is made) and then of a
 * pairing with the commissioner CLI, then booted again from its area file. Every cut must leave a
 * device that starts, paired or unpaired, never refused or locked out: unpaired, it pairs again;
 * paired with a commissioner record, a KK session with echo works. NODEMCU_CUTS cuts per Lua
 * (default 6), on lua5.3 and lua5.1; the seed is printed so a failing run can be repeated.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommissioner } from "../../commissioner/cli.node.ts";
import { LUA_VERSIONS, missingLua } from "../engines/lua.ts";
import { freePort, nodemcuStatus, startNodeMcu, type NodeMcuDevice } from "./device.node.ts";

const CUTS = Number(process.env.NODEMCU_CUTS ?? 6);
const CODE = "31415926";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

async function cli(dir: string, argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await runCommissioner([...argv, "--dir", dir], { out: (l) => out.push(l), err: (l) => out.push(l) });
  return { code, out };
}

async function ready(d: NodeMcuDevice): Promise<{ paired: boolean }> {
  await d.waitLog(/firstlight: (device started|not started)/, 60000);
  const bad = d.lines.find((l) => /not started|Uncaught|stack traceback/.test(l));
  if (bad) throw new Error("the device did not come back:\n  " + d.lines.join("\n  "));
  for (let i = 0; ; i++) {
    const s = await nodemcuStatus(d);
    if (s.entropy === "ready") {
      if (s.state === "locked") throw new Error("locked after a cut:\n  " + d.lines.join("\n  "));
      return { paired: s.paired };
    }
    if (i > 300) throw new Error("entropy gate not open after a cut");
    await new Promise((r) => setTimeout(r, 200));
  }
}

for (const v of LUA_VERSIONS) {
  test(`nodemcu-esp8266 on lua${v}: ${CUTS} power cuts in first boots and pairings leave a device paired or unpaired, never broken`, { timeout: CUTS * 60000 + 60000 }, async (t) => {
    const missing = missingLua(v);
    if (missing) return t.skip(missing);
    const seed = Number(process.env.NODEMCU_SEED ?? Date.now() % 100000);
    t.diagnostic(`seed ${seed} (NODEMCU_SEED repeats it)`);
    const rand = rng(seed);
    const tally = { paired: 0, unpaired: 0 };
    for (let cut = 0; cut < CUTS; cut++) {
      const dir = mkdtempSync(join(tmpdir(), "firstlight-nodemcu-cut-"));
      const flashDir = join(dir, "spiffs"), com = join(dir, "commissioner");
      mkdirSync(flashDir);
      const port = await freePort();
      const url = "tcp://127.0.0.1:" + port;
      let d: NodeMcuDevice | null = null;
      try {
        // A cut during the first boot (root page, first-life store, the gate).
        d = startNodeMcu({ lua: v, flashDir, code: CODE, port });
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 400)));
        await d.kill();
        d = startNodeMcu({ lua: v, flashDir, code: CODE, port });
        await ready(d);
        // A cut during a pairing.
        await d.ask("press 250", /^pressed/);
        await d.waitLog(/commissioning window opened/, 10000);
        const pairing = cli(com, ["--code", CODE, "--device", url, "--timeout", "30"]);
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 2500)));
        await d.kill();
        const p = await pairing;
        d = startNodeMcu({ lua: v, flashDir, code: CODE, port });
        const { paired } = await ready(d);
        const id = (p.out.map((l) => l.match(/^device (\S+)\s+identity public key/)).find((m) => m) ?? [])[1];
        if (!paired) {
          tally.unpaired++;
          const from = d.lines.length;
          await d.ask("press 250", /^pressed/);
          await d.waitLog(/commissioning window opened/, 10000, from);
          const again = await cli(join(dir, "commissioner2"), ["--code", CODE, "--device", url, "--timeout", "60"]);
          assert.equal(again.code, 0, "unpaired after a cut, but it does not pair again:\n  " + again.out.join("\n  ") + "\n  " + d.lines.slice(from).join("\n  "));
        } else {
          tally.paired++;
          if (id) {
            const s = await cli(com, ["session", "--device", url, "--id", id, "--echo", "after the cut", "--timeout", "60"]);
            assert.equal(s.code, 0, "paired after a cut, but the session fails:\n  " + s.out.join("\n  "));
          }
        }
      } finally {
        if (d) await d.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    }
    t.diagnostic(`lua${v}: ${CUTS} cuts: ${tally.paired} left it paired, ${tally.unpaired} unpaired (each paired again)`);
  });
}
