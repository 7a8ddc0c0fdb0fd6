/**
 * The factory step (docs/setup-payload.md):
 *
 *   npm run provision -- --board NAME [--out DIR] [--count N]
 *
 * For each of N devices (default 1): a setup code drawn from node:crypto's CSPRNG (randomInt,
 * drawing again while the code is one of the excluded ones), a random 12-bit discriminator and a
 * random id; then in DIR (default factory/ under $FIRSTLIGHT_DIR, else .firstlight/factory/):
 *
 *   ID.json   what the device stores (tools/provision/factory-file.ts), 0600: on a board with a
 *             device secret, a fresh 32-byte secret and the code sealed under it; on one without,
 *             the code as the owner's options. `npm run flash -- --factory` and
 *             `npm start -- --serve --factory` take it.
 *   ID.svg, ID.png, ID.txt   the label (tools/provision/label.ts), 0600: it shows the code in clear
 *
 * DIR is made 0700 when it does not exist.
 *
 * Exit codes: 0 written, 1 a write failed, 2 usage or bad input.
 */
import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BoardError, loadBoard } from "../../build/boards.ts";
import type { BoardConfig } from "../../hal/board-config.ts";
import { isValidSetupCode } from "../../commissioner/setup-code.ts";
import { encodeSetupPayload, MAX_DISCRIMINATOR, SETUP_PAYLOAD_VERSION } from "../../commissioner/setup-payload.ts";
import { FACTORY_FORMAT, type FactoryFile } from "./factory-file.ts";
import { labelPng, labelSvg, labelText } from "./label.ts";
import { sealSetupCode } from "./seal.ts";

export const MAX_COUNT = 10000;

export interface ProvisionOptions { board: string; out: string; count: number }

export interface ProvisionedDevice {
  id: string;
  code: string;
  discriminator: number;
  payload: string;
  files: { factory: string; svg: string; png: string; txt: string };
}

class UsageError extends Error {}

const USAGE = "usage: npm run provision -- --board NAME [--out DIR] [--count N]";

export function parseProvisionArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ProvisionOptions {
  const o: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!["--board", "--out", "--count"].includes(a)) throw new UsageError(`unknown option ${a}`);
    if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
    if (a in o) throw new UsageError(`${a} given twice`);
    o[a] = argv[++i];
  }
  if (!("--board" in o)) throw new UsageError("--board is required");
  let count = 1;
  if ("--count" in o) {
    count = Number(o["--count"]);
    if (!/^[0-9]+$/.test(o["--count"]) || count < 1 || count > MAX_COUNT) throw new UsageError(`--count is an integer 1…${MAX_COUNT}, got ${o["--count"]}`);
  }
  const out = resolve(o["--out"] ?? join(env.FIRSTLIGHT_DIR ?? ".firstlight", "factory"));
  return { board: o["--board"], out, count };
}

/** A setup code from the CSPRNG: uniform over the 8-digit codes that are not excluded. */
export function randomSetupCode(): string {
  for (;;) {
    const code = String(randomInt(0, 100000000)).padStart(8, "0");
    if (isValidSetupCode(code)) return code;
  }
}

/** How a board keeps its code: sealed under a device secret the factory programs, or in clear. */
export function storageFor(board: BoardConfig): "sealed" | "clear" {
  if (board.status === "planned") throw new UsageError(`board ${board.name} is planned, not built yet: nothing to provision`);
  if (board.engine === "sim") return "sealed";
  if (board.engine === "espruino" && board.deviceSecret === null) return "clear";
  throw new UsageError(
    board.engine === "jerryscript"
      ? `board ${board.name}: its image takes the setup code in clear at boot (firmware/images/jerry.ts); sealing it under the factory-provisioned secret is not wired into the JerryScript port yet`
      : `board ${board.name}: no flashing path delivers a device secret to an ${board.engine} board`,
  );
}

export async function provision(o: ProvisionOptions, log: (line: string) => void = () => {}): Promise<ProvisionedDevice[]> {
  const board = loadBoard(o.board);
  const kind = storageFor(board);
  // The labels show the code in clear and the factory file holds the secret: both are the owner's alone.
  mkdirSync(o.out, { recursive: true, mode: 0o700 });
  const devices: ProvisionedDevice[] = [];
  const codes = new Set<string>(), ids = new Set<string>();
  while (devices.length < o.count) {
    const code = randomSetupCode();
    const id = `${board.name}-${randomBytes(4).toString("hex")}`;
    // Two devices of one batch never share a code or an id (a label mix-up would pair the wrong one).
    if (codes.has(code) || ids.has(id)) continue;
    codes.add(code);
    ids.add(id);
    const discriminator = randomInt(0, MAX_DISCRIMINATOR + 1);
    const payload = encodeSetupPayload({ version: SETUP_PAYLOAD_VERSION, code, discriminator });
    let factory: FactoryFile;
    if (kind === "sealed") {
      const secret = randomBytes(32);
      factory = { format: FACTORY_FORMAT, id, board: board.name, discriminator, deviceSecret: secret.toString("hex"), sealedSetupCode: Buffer.from(sealSetupCode(secret, code)).toString("hex") };
      secret.fill(0);
    } else factory = { format: FACTORY_FORMAT, id, board: board.name, discriminator, setupCode: code };
    const files = { factory: join(o.out, id + ".json"), svg: join(o.out, id + ".svg"), png: join(o.out, id + ".png"), txt: join(o.out, id + ".txt") };
    // "wx": a file that exists is never overwritten (it would be another device's). 0600: the
    // factory file holds the device secret (or the code), and every label file shows the code.
    writeFileSync(files.factory, JSON.stringify(factory, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    writeFileSync(files.svg, await labelSvg(payload, code), { mode: 0o600, flag: "wx" });
    writeFileSync(files.png, await labelPng(payload), { mode: 0o600, flag: "wx" });
    writeFileSync(files.txt, labelText({ id, board: board.name, code, payload, discriminator }), { mode: 0o600, flag: "wx" });
    log(`provision: ${id}  label ${files.svg}  factory file ${files.factory} (${kind === "sealed" ? "code sealed under a new device secret" : "code in the owner's options: this board has no device secret"})`);
    devices.push({ id, code, discriminator, payload, files });
  }
  return devices;
}

async function main(): Promise<number> {
  let o: ProvisionOptions;
  try {
    o = parseProvisionArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`provision: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const d = await provision(o, (l) => console.log(l));
    console.log(`provision: ${d.length} device${d.length === 1 ? "" : "s"} in ${o.out}`);
    return 0;
  } catch (e) {
    console.error(`provision: ${(e as Error).message}`);
    return e instanceof UsageError || e instanceof BoardError ? 2 : 1;
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) main().then((c) => process.exit(c));
