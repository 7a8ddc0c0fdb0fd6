/**
 * Writes a board's image to an Espruino so that it runs at boot from Storage, with the npm
 * `espruino` CLI (EspruinoTools), over the same links a user has: serial, Bluetooth, or TCP (the
 * Linux build's telnet console).
 *
 *   npm run flash -- --board NAME --port PORT --code CODE [--window-ms MS]
 *   npm run flash -- --board NAME --out FILE --code CODE [--window-ms MS]   (the upload, as a file)
 *   … --factory DIR/ID.json instead of --code CODE: a device from `npm run provision` (its board
 *     must be NAME; tools/provision/factory-file.ts)
 *
 * It checks the board file and the owner's options, checks that the image fits the board's
 * Storage below firstlight's pages, then runs
 *   espruino --no-ble -p PORT --storage firstlight.json:OPTIONS --storage .bootcde:- IMAGE
 * which writes the options file and the image as `.bootcde` (what save() boots) and then load()s
 * it. Exit codes: 0 written, 1 the CLI or the board failed, 2 usage or bad input.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BoardError, loadBoard } from "./boards.ts";
import { boardImageFile } from "./board-images.ts";
import type { BoardConfig } from "../hal/board-config.ts";
import { setupCodeProblem } from "../commissioner/pairing.ts";
import { FactoryFileError, isSealed, readFactoryFile } from "../tools/provision/factory-file.ts";

/** Espruino's Storage spends a 32-byte header per file and rounds lengths to 8 (src/jsflash.c). */
export const STORAGE_FILE_OVERHEAD = 40;
export const MIN_WINDOW_MS = 180000;
export const MAX_WINDOW_MS = 900000;

/**
 * `port`: where the CLI connects. `out` instead: the CLI writes the exact code it would send to a
 * file (EspruinoTools `-n -o`), for a console that cannot take a long upload (see docs/boards.md).
 */
export interface FlashOptions { board: string; port?: string; out?: string; code: string; windowMs?: number }

/** The Espruino version the CLI targets when it does not connect (`-n`): 2v29, as ../shared/engines. */
export const OFFLINE_FIRMWARE = "2v29";

class UsageError extends Error {}

export function parseFlashArgs(argv: string[]): FlashOptions {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!["--board", "--port", "--out", "--code", "--factory", "--window-ms"].includes(a)) throw new UsageError(`unknown option ${a}`);
    if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
    if (a in o) throw new UsageError(`${a} given twice`);
    o[a] = argv[++i];
  }
  if (!("--board" in o)) throw new UsageError("--board is required");
  if (("--code" in o) === ("--factory" in o)) throw new UsageError("give one of --code CODE (the owner's code) or --factory DIR/ID.json (a device from npm run provision)");
  if (("--port" in o) === ("--out" in o)) throw new UsageError("give one of --port PORT (write to the board) or --out FILE (write the upload to a file)");
  if ("--factory" in o) o["--code"] = factoryCode(o["--factory"], o["--board"]);
  const bad = setupCodeProblem(o["--code"]);
  if (bad) throw new UsageError(`--code: ${bad}`);
  const out: FlashOptions = { board: o["--board"], code: o["--code"] };
  if ("--port" in o) out.port = o["--port"];
  if ("--out" in o) out.out = resolve(o["--out"]);
  if ("--window-ms" in o) {
    const w = Number(o["--window-ms"]);
    if (!Number.isInteger(w) || w < MIN_WINDOW_MS || w > MAX_WINDOW_MS) throw new UsageError(`--window-ms must be an integer ${MIN_WINDOW_MS}…${MAX_WINDOW_MS}, got ${o["--window-ms"]}`);
    out.windowMs = w;
  }
  return out;
}

/** The code a factory file gives an Espruino board: in clear, as the owner's options (no device secret to seal it under). */
function factoryCode(path: string, board: string): string {
  let f;
  try {
    f = readFactoryFile(path);
  } catch (e) {
    if (e instanceof FactoryFileError) throw new UsageError(`--factory: ${e.message}`);
    throw e;
  }
  if (f.board !== board) throw new UsageError(`--factory: ${path} was provisioned for board ${f.board}, not ${board}`);
  if (isSealed(f)) throw new UsageError(`--factory: ${path} holds a sealed code and a device secret, which no Espruino flashing path can deliver`);
  return f.setupCode;
}

/**
 * Storage bytes the image and the options file take, and the room the board leaves them: all of
 * Storage when firstlight's pages lie outside it, else (the Linux build) Storage below those pages.
 */
export function storageFit(board: BoardConfig, imageBytes: number, optionsBytes: number): { need: number; room: number } {
  const st = board.storage;
  if (!st) throw new UsageError(`board ${board.name} names no Storage area`);
  const round8 = (n: number) => (n + 7) & ~7;
  const need = 32 + round8(imageBytes) + 32 + round8(optionsBytes);
  const a = board.flash.baseAddress, aEnd = a + board.flash.pageSize * board.flash.pageCount;
  const outside = aEnd <= st.baseAddress || a >= st.baseAddress + st.bytes;
  return { need, room: outside ? st.bytes : a - st.baseAddress };
}

function espruinoCli(): string {
  return createRequire(import.meta.url).resolve("espruino/bin/espruino-cli.js");
}

/**
 * Runs the CLI. Connected to a board, success is its "Upload Complete" (then it is stopped): the CLI
 * also exits 0 when the board drops the link part way, and a board that prints an ASSERT or a HALT
 * has failed whatever the CLI says. Offline (`-o`), success is exit status 0.
 */
export function runEspruinoCli(args: string[], log: (line: string) => void, timeoutMs = 300000): Promise<boolean> {
  const connected = !args.includes("-n");
  return new Promise((done) => {
    const child = spawn(process.execPath, [espruinoCli(), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "", ok = false, finished = false;
    const finish = (v: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill("SIGKILL");
      done(v);
    };
    const timer = setTimeout(() => {
      log("espruino CLI: no 'Upload Complete' after " + timeoutMs / 1000 + " s");
      finish(false);
    }, timeoutMs);
    const onText = (d: Buffer) => {
      text += d.toString("latin1");
      let i: number;
      while ((i = text.indexOf("\n")) >= 0) {
        const line = text.slice(0, i).replace(/\r/g, "");
        text = text.slice(i + 1);
        log(line);
        if (/^--\].*(ASSERT\(|HALTING|FATAL)/.test(line)) {
          log("espruino CLI: the board failed during the upload");
          finish(false);
        }
        // The CLI then stays on the console while the device prints; the upload is done.
        if (connected && /Upload Complete/.test(line)) {
          ok = true;
          setTimeout(() => finish(true), 300);
        }
      }
    };
    child.stdout.on("data", onText);
    child.stderr.on("data", onText);
    child.on("exit", (code) => finish(connected ? ok : code === 0));
  });
}

export async function flash(o: FlashOptions, log: (line: string) => void): Promise<void> {
  const board = loadBoard(o.board);
  if (board.engine !== "espruino" || board.status === "planned") throw new UsageError(`board ${board.name} is not a supported Espruino board (engine ${board.engine}${board.status ? ", " + board.status : ""})`);
  const image = boardImageFile(board.name);
  const imageBytes = statSync(image).size;
  const options = JSON.stringify(o.windowMs === undefined ? { setupCode: o.code } : { setupCode: o.code, windowMs: o.windowMs });
  const fit = storageFit(board, imageBytes, options.length);
  if (fit.need > fit.room)
    throw new UsageError(`${image} (${imageBytes} B) and its options need ${fit.need} B of Storage; board ${board.name} leaves ${fit.room} B (over by ${fit.need - fit.room} B)`);
  const dir = mkdtempSync(join(tmpdir(), "firstlight-flash-"));
  try {
    const optionsFile = join(dir, "firstlight.json");
    writeFileSync(optionsFile, options, { mode: 0o600 });
    const storage = ["--storage", "firstlight.json:" + optionsFile, "--storage", ".bootcde:-", image];
    log(`flash: ${board.name} image ${imageBytes} B + options → ${o.port ?? o.out} (Storage ${fit.need} of ${fit.room} B)`);
    let ok: boolean;
    if (o.port) ok = await runEspruinoCli(["--no-ble", "-p", o.port, ...storage], log);
    else {
      const boardJson = join(dir, "board.json");
      writeFileSync(boardJson, JSON.stringify({ info: { binary_version: OFFLINE_FIRMWARE } }));
      // The upload carries the setup code in clear (firstlight.json): only its owner may read it,
      // from the moment it exists (the CLI overwrites the file, which keeps its mode).
      writeFileSync(o.out!, "", { mode: 0o600 });
      chmodSync(o.out!, 0o600);
      ok = await runEspruinoCli(["-n", "--board", boardJson, "-o", o.out!, ...storage], log);
      ok = ok && statSync(o.out!).size > imageBytes;
      chmodSync(o.out!, 0o600);
    }
    if (!ok) throw new Error("the espruino CLI did not finish the upload");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  let o: FlashOptions;
  try {
    o = parseFlashArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`flash: ${(e as Error).message}\nusage: npm run flash -- --board NAME (--port PORT | --out FILE) (--code CODE | --factory DIR/ID.json) [--window-ms MS]`);
    return 2;
  }
  try {
    await flash(o, (l) => console.log(l));
    console.log("flash: done; the board boots firstlight from Storage");
    return 0;
  } catch (e) {
    console.error(`flash: ${(e as Error).message}`);
    return e instanceof UsageError || e instanceof BoardError ? 2 : 1;
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) main().then((c) => process.exit(c));
