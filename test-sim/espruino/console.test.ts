/**
 * The cause of the espruino-linux hangs (issue 9), on the Linux build of Espruino alone: a console
 * command read only in part when its telnet client is replaced leaves an open bracket in
 * Espruino's input line, and a later command typed the old way never runs; our console client
 * (linux-device.node.ts telnetCommand) erases the input line first and is answered
 * (console.node.ts says how). Inside `unshare -n` when allowed; about 15 s.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../build/paths.ts";
import { lastJson, runInNetns } from "./linux-device.node.ts";
import { espruinoMissing } from "../engines/espruino.ts";

const missing = espruinoMissing("espruino");

test("espruino console: a half-read command wedges the input line; an erase-first command still runs", { skip: missing ?? false, timeout: 3 * 60000 }, async () => {
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["console", "espruino"]);
  const res = lastJson(r.out);
  assert.ok(res && res.ok, "console run failed:\n" + r.out.join("\n"));
  const c = res.console as { wedged: boolean; answered: string };
  assert.equal(c.wedged, true, "the old-style command ran: Espruino no longer keeps a half-read line (update docs/engines.md)");
  assert.equal(c.answered, "42");
  assert.equal(r.code, 0);
});
