/**
 * Why an espruino-linux device stopped answering its console (the hangs of issue 9), shown on the
 * Linux build of Espruino with nothing of ours running on it. Must run inside a private network
 * namespace (linux-device.node.ts, runInNetns): it uses the fixed telnet port 2323.
 *
 * The device is kept as busy as one running firstlight from Storage: every event-loop turn is a
 * 400 ms computation. Espruino's telnet server reads 64 bytes per idle-loop turn, and when a new
 * client connects it closes the old one with what that one sent still unread. So:
 *
 *   1. client A types a 600-byte command (no line erase first, as our console client did);
 *   2. before the device has read all of it, client B connects: A's unread bytes are dropped and
 *      the console's input line keeps A's first part, brackets open;
 *   3. B's command, typed the old way, is appended to that open line and never runs (`wedged`);
 *   4. the same command through telnetCommand, which starts every command with ESC [ 2 H
 *      (erase the input line), runs (`answered`).
 */
import net from "node:net";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLinuxEspruino, telnetCommand, TELNET_PORT } from "./linux-device.node.ts";

export interface ConsoleFinding {
  /** B's command typed without the erase got no answer. */
  wedged: boolean;
  /** What telnetCommand's erase-first command printed. */
  answered: string;
}

/** Connects, waits for the console to move to telnet, types `text`; resolves with the socket. */
function typeOn(text: string): Promise<net.Socket> {
  return new Promise((res, rej) => {
    const s = net.connect(TELNET_PORT, "127.0.0.1");
    s.on("error", rej);
    s.on("data", () => undefined);
    s.on("connect", () => setTimeout(() => { s.write(text); res(s); }, 200));
  });
}

/** Output `s` receives within `ms`. */
function collect(s: net.Socket, ms: number): Promise<string> {
  return new Promise((res) => {
    let out = "";
    s.on("data", (d) => { out += d.toString("latin1"); });
    setTimeout(() => { s.destroy(); res(out); }, ms);
  });
}

export async function showConsoleWedge(binary = "espruino"): Promise<ConsoleFinding> {
  const dir = mkdtempSync(join(tmpdir(), "firstlight-console-"));
  // A device whose every event-loop turn takes 400 ms (firstlight's turns from Storage take longer).
  writeFileSync(join(dir, "busy.js"), "setInterval(function(){var t=getTime();while(getTime()-t<0.4);},0);\n");
  const d = await startLinuxEspruino({ dir, binary, file: "busy.js" });
  try {
    const long = "\x10print(JSON.stringify([" + new Array(150).join("1234,") + "0]).length)\n";
    const a = await typeOn(long);
    await new Promise((r) => setTimeout(r, 600));
    const b = await typeOn('\x10print("@@B" + "BEGIN");print(1+1);print("@@B" + "END")\n');
    a.destroy();
    const old = await collect(b, 6000);
    const answered = await telnetCommand("40+2", 30000);
    return { wedged: !/@@BBEGIN/.test(old), answered };
  } finally {
    await d.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
