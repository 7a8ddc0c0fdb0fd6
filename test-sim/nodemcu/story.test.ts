/**
 * The nodemcu-esp8266 board image pairs end to end on the simulated NodeMCU, on lua5.1, lua5.3 and
 * lua5.3 on the runtime's 32-bit-integer path (test-sim/nodemcu/story.node.ts): first boot, button, pairing with the commissioner CLI over TCP,
 * power cut, boot from the flash file, Noise KK session with echo and the audit read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { LUA_VERSIONS, missingLua, type LuaVersion } from "../engines/lua.ts";
import { spawnSync } from "node:child_process";
import { NODEMCU_IMAGE } from "./device.node.ts";
import { runNodeMcuStory } from "./story.node.ts";

const RUNS: { v: LuaVersion; narrow: boolean }[] = [...LUA_VERSIONS.map((v) => ({ v, narrow: false })), { v: "5.3", narrow: true }];

for (const { v, narrow } of RUNS) {
  const on = `lua${v}${narrow ? " on its 32-bit-integer path (FL_NARROW, NodeMCU's Lua 5.3 build)" : ""}`;
  test(`nodemcu-esp8266 on ${on}: press, a wrong code refused, pair over TCP, power cut, boot from flash, session with echo and audit`, { timeout: 120000 }, async (t) => {
    const missing = missingLua(v) || (spawnSync("lua" + v, ["-e", "require('socket')"]).status !== 0 ? "apt-get install lua-socket (LuaSocket for lua" + v + ")" : false);
    if (missing) {
      if (process.env.CI) assert.fail(missing);
      return t.skip(missing);
    }
    assert.ok(existsSync(NODEMCU_IMAGE), `${NODEMCU_IMAGE} is missing: npm run build`);
    const r = await runNodeMcuStory(v, (l) => t.diagnostic(l), { narrow });
    assert.equal(r.steps.length, 6);
    assert.match(r.deviceId, /^[0-9a-f]{16}$/);
    t.diagnostic(`lua${v}: pairing ${r.pairMs} ms, session ${r.sessionMs} ms; collectgarbage("count"): image ${r.imageKb} KB, after boot ${r.bootKb} KB, peak pairing ${r.pairPeakKb} KB, peak session ${r.sessionPeakKb} KB`);
  });
}
