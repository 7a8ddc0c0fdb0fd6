/**
 * The main job (`npm start`): the whole story in the simulator on embedded defaults: a device boots
 * from the built images, its entropy gate fills, a button press opens the commissioning window, the
 * commissioner pairs over loopback TCP, the device reboots from its flash file, and an operational
 * session exchanges encrypted messages (test-sim/sim/story.ts).
 *
 *   tsx test-sim/main.ts [--engine node|quickjs|duk] [--code 8DIGITS] [--flash FILE] [--board sim]
 *                        [--commissioner-dir DIR] [--seed S] [--fast]
 *                        [--audit] [--rotate] [--rotate-storage] [--decommission]
 *   tsx test-sim/main.ts --serve [--port N] [--ws-port N] [--engine …] [--code …|--factory FILE] [--flash FILE]
 *       keeps a simulated device up for the commissioner CLI (test-sim/sim/serve.ts); --factory
 *       serves a device from `npm run provision` (its code sealed under its own secret, or in clear
 *       on a board without one; a person reads it from the label; its flash defaults to
 *       .sim/serve-flash-ID.bin); the web commissioner reaches it on a WebSocket bridge
 *       (ws://127.0.0.1:PORT, printed; --ws-port fixes the port)
 *
 * Defaults: node, code 20202021, .sim/flash.bin (.sim/serve-flash.bin with --serve), the sim board, .sim/commissioner/ (.sim/ is
 * $FIRSTLIGHT_SIM_DIR when set; both
 * gitignored, both started afresh each run), a random TRNG seed (every simulated device is a
 * different device; --seed S repeats one). --fast skips the gate animation's pauses.
 * The arguments are checked first; then the images are built if an input changed ("building…"),
 * and the flash file is locked (test-sim/sim/flash-lock.ts) so two runs never share one device.
 * --audit, --rotate, --rotate-storage and --decommission add a key-lifecycle step after the
 * session: the device's audit trail read over the session, an identity-key rotation, a
 * storage-key rotation (every record re-sealed), a decommission (crypto-shred).
 *
 * `--engine espruino` runs it on the real Espruino interpreter (espruino-v12000: the espruino-linux
 * board image flashed with the espruino CLI and run from Storage, test-sim/espruino), and
 * `--engine jerryscript` on the JerryScript port (ports/jerryscript: the device image's snapshot on a
 * 64 KB heap, in real time, its flash in the simulator directory).
 *
 * The self-test table that used to run here is `npm run selftest`.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ROOT } from "../build/paths.ts";
import { readSetupCode } from "../commissioner/user-input.ts";
import { isSealed, readFactoryFile, type FactoryFile } from "../tools/provision/factory-file.ts";
import { installHint } from "./engines/tools.ts";
import { lockFlashFile } from "./sim/flash-lock.ts";
import { loadSimBoard } from "./sim/board.ts";
import { dukAvailable, ENGINES, type EngineName } from "./sim/engines.ts";
import { lastJson, runInNetns } from "./espruino/linux-device.node.ts";

/** The simulator's files: .sim/ in the repository, or $FIRSTLIGHT_SIM_DIR (the README test runs there). */
const SIM_DIR = process.env.FIRSTLIGHT_SIM_DIR ? resolve(process.env.FIRSTLIGHT_SIM_DIR) : join(ROOT, ".sim");

/** Engines that are real device ports rather than simulator engines (their own story). */
const PORT_ENGINES = ["jerryscript"] as const;
type PortEngine = (typeof PORT_ENGINES)[number];

const USAGE = "usage: npm start -- [--engine node|quickjs|duk|espruino|jerryscript] [--code 8DIGITS] [--flash FILE] [--board sim] [--commissioner-dir DIR] [--seed S] [--fast] [--audit] [--rotate] [--rotate-storage] [--decommission]\n       npm start -- --serve [--port N] [--ws-port N] [--engine E] [--code C | --factory FILE] [--flash FILE]";

function parse(argv: string[]): { engine: EngineName | PortEngine; code: string; factory: FactoryFile | null; factoryPath: string; flash: string; board: string; dir: string; fast: boolean; serve: boolean; port: number; wsPort: number; seed: string; lifecycle: { audit: boolean; rotate: boolean; rotateStorage: boolean; decommission: boolean } } {
  const o = { engine: "node" as EngineName | PortEngine, code: "20202021", factory: null as FactoryFile | null, factoryPath: "", codeGiven: false, boardGiven: false, flash: "", board: "sim", dir: join(SIM_DIR, "commissioner"), fast: false, serve: false, port: 0, wsPort: 0, seed: "", lifecycle: { audit: false, rotate: false, rotateStorage: false, decommission: false } };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--engine") {
      const e = val();
      if (!ENGINES.includes(e as EngineName) && !PORT_ENGINES.includes(e as PortEngine)) throw new Error(`--engine is one of ${[...ENGINES, "espruino", ...PORT_ENGINES].join(", ")}, got ${JSON.stringify(e)}`);
      o.engine = e as EngineName | PortEngine;
    } else if (a === "--code") {
      o.code = readSetupCode(val());
      o.codeGiven = true;
    } else if (a === "--factory") o.factoryPath = resolve(val());
    else if (a === "--flash") o.flash = resolve(val());
    else if (a === "--board") {
      o.board = val();
      o.boardGiven = true;
    }
    else if (a === "--commissioner-dir") o.dir = resolve(val());
    else if (a === "--fast") o.fast = true;
    else if (a === "--serve") o.serve = true;
    else if (a === "--seed") {
      o.seed = val();
      if (o.seed === "") throw new Error("--seed needs a non-empty value");
    }
    else if (a === "--audit") o.lifecycle.audit = true;
    else if (a === "--rotate") o.lifecycle.rotate = true;
    else if (a === "--rotate-storage") o.lifecycle.rotateStorage = true;
    else if (a === "--decommission") o.lifecycle.decommission = true;
    else if (a === "--port") {
      const p = Number(val());
      if (!(Number.isInteger(p) && p >= 0 && p <= 65535)) throw new Error("--port is 0 … 65535");
      o.port = p;
    }
    else if (a === "--ws-port") {
      const p = Number(val());
      if (!(Number.isInteger(p) && p >= 0 && p <= 65535)) throw new Error("--ws-port is 0 … 65535");
      o.wsPort = p;
    }
    else if (a === "-h" || a === "--help" || a === "help") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(a)}`);
  }
  if (o.factoryPath) {
    if (!o.serve) throw new Error("--factory goes with --serve (the story pairs with a code it knows; a provisioned device's code is on its label)");
    if (o.codeGiven) throw new Error("give --code or --factory, not both (a provisioned device has its own code)");
    if (PORT_ENGINES.includes(o.engine as PortEngine)) throw new Error(`--factory runs on the simulator's engines (${ENGINES.join(", ")}), not ${o.engine}`);
    const f = readFactoryFile(o.factoryPath);
    if (o.boardGiven && o.board !== f.board) throw new Error(`--board ${o.board}, but ${o.factoryPath} was provisioned for board ${f.board}`);
    o.board = f.board;
    o.factory = f;
    if (!isSealed(f)) o.code = f.setupCode;
    if (!o.flash) o.flash = join(SIM_DIR, `serve-flash-${f.id}.bin`);
  }
  // The story and the served device keep separate flash files: the story leaves its device paired,
  // and a served device started from that file would refuse pairing with WINDOW_CLOSED.
  if (!o.flash) o.flash = join(SIM_DIR, o.serve ? "serve-flash.bin" : "flash.bin");
  return o;
}

/**
 * `--engine espruino`: the same story on the real Espruino interpreter (espruino-v12000, the
 * espruino-linux board image flashed with the espruino CLI and run from Storage), inside a private
 * network namespace when allowed (test-sim/espruino/story.node.ts). Only `--code` applies.
 */
async function espruinoMain(argv: string[]): Promise<number> {
  let code = "20202021";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--code" && i + 1 < argv.length) {
      try {
        code = readSetupCode(argv[++i]);
      } catch (e) {
        console.error(`main: --code: ${(e as Error).message}`);
        return 2;
      }
    } else {
      console.error(`main: --engine espruino takes only --code, got ${JSON.stringify(argv[i])}`);
      return 2;
    }
  }
  const { build } = await import("../build/build.ts");
  await build({ quiet: true });
  console.log("firstlight on the real Espruino interpreter: espruino-v12000 (12 000 variables, ESP32-class), image run from Storage");
  console.log("(device-side work runs from the flash file on this build, about 10x slower than a board: the story takes 3 minutes on an idle host, 15 on a heavily loaded one)");
  const t0 = Date.now();
  const r = await runInNetns(join(ROOT, "test-sim/espruino/run-in-netns.node.ts"), ["story", code], (l) => { if (!l.startsWith("{")) console.log(l); });
  const res = lastJson(r.out);
  console.log(`summary  espruino-v12000  total ${((Date.now() - t0) / 1000).toFixed(1)} s  ${res && res.ok ? "OK" : "FAILED"}`);
  if (res && !res.ok) console.log(String(res.error));
  return res && res.ok ? 0 : 1;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2), ei = args.indexOf("--engine");
  if (ei >= 0 && args[ei + 1] === "espruino") return espruinoMain(args.filter((_, i) => i !== ei && i !== ei + 1));
  let o: ReturnType<typeof parse>;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`main: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (o.engine === "duk" && !dukAvailable()) {
    console.error(`main: ${installHint("duk")}`);
    return 2;
  }
  if (o.engine === "jerryscript") {
    const { build } = await import("../build/build.ts");
    await build({ quiet: true });
    const { runJerryStory } = await import("../ports/jerryscript/host/story.node.ts");
    const r = await runJerryStory({ code: o.code, flashPath: join(SIM_DIR, "jerry-flash.bin"), secretPath: join(SIM_DIR, "jerry-secret.bin"), commissionerDir: o.dir, lifecycle: o.lifecycle, out: (l) => console.log(l) });
    return r.ok ? 0 : 1;
  }
  const engine: EngineName = o.engine;
  const { board, source } = loadSimBoard(o.board);
  // Loaded after the arguments are checked: --help and a bad argument answer at once.
  const { build } = await import("../build/build.ts");
  await build({ quiet: true });
  const { serveDevice } = await import("./sim/serve.ts");
  const { runStory } = await import("./sim/story.ts");
  const seed = o.seed || "random-" + randomBytes(8).toString("hex");
  mkdirSync(dirname(o.flash), { recursive: true });
  let release: () => void;
  try {
    release = lockFlashFile(o.flash);
  } catch (e) {
    console.error(`main: ${(e as Error).message}`);
    return 2;
  }
  if (o.serve) {
    const f = o.factory ? { path: o.factoryPath, ...o.factory } : undefined;
    await serveDevice({ engine, board, code: o.code, factory: f, flashPath: o.flash, port: o.port, wsPort: o.wsPort, seed, out: (l) => console.log(l) });
    release();
    return 0;
  }
  const tty = !!process.stdout.isTTY;
  const r = await runStory({
    engine,
    board,
    boardSource: source,
    code: o.code,
    flashPath: o.flash,
    commissionerDir: o.dir,
    seed,
    seedAsked: o.seed !== "",
    lifecycle: o.lifecycle,
    tty,
    frameMs: o.fast ? 0 : tty ? 25 : 0,
    out: (l) => console.log(l),
    write: (s) => process.stdout.write(s),
  });
  release();
  return r.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`main: failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
