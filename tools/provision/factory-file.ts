/**
 * The factory file `DIR/ID.json`: exactly what one provisioned device stores, written by
 * `npm run provision` and read by `npm run flash -- --factory FILE` (Espruino boards) and
 * `npm start -- --serve --factory FILE` (the simulator). docs/setup-payload.md "What the device
 * stores" gives the fields; the setup code in clear is on the label, and in this file only for a
 * board without a device secret (where the device has nothing to seal it under).
 *
 *   { "format": "firstlight-factory/1", "id": "sim-3fa91c2e", "board": "sim", "discriminator": 3840,
 *     "deviceSecret": "64 hex", "sealedSetupCode": "72 hex" }              board with a device secret
 *   { "format": "firstlight-factory/1", "id": "espruino-linux-…", "board": "espruino-linux",
 *     "discriminator": 3840, "setupCode": "20202021" }                     board without one
 */
import { readFileSync } from "node:fs";
import { setupCodeProblem } from "../../commissioner/setup-code.ts";
import { MAX_DISCRIMINATOR } from "../../commissioner/setup-payload.ts";
import { SETUP_SEAL_BYTES } from "./seal.ts";

export const FACTORY_FORMAT = "firstlight-factory/1";

interface FactoryBase { format: typeof FACTORY_FORMAT; id: string; board: string; discriminator: number }
/** A board with a device secret: the factory programs the secret and stores only the sealed code. */
export interface SealedFactoryFile extends FactoryBase { deviceSecret: string; sealedSetupCode: string }
/** A board without one: the code in clear, as the owner's options (Storage file firstlight.json). */
export interface ClearFactoryFile extends FactoryBase { setupCode: string }
export type FactoryFile = SealedFactoryFile | ClearFactoryFile;

export class FactoryFileError extends Error {}

export function isSealed(f: FactoryFile): f is SealedFactoryFile {
  return "sealedSetupCode" in f;
}

const HEX = (n: number) => new RegExp(`^[0-9a-f]{${n}}$`);

/** Checks every field of a parsed factory file; throws FactoryFileError naming the file and the field. */
export function validateFactoryFile(obj: unknown, where: string): FactoryFile {
  const bad = (why: string): never => {
    throw new FactoryFileError(`${where}: ${why}`);
  };
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return bad("not a JSON object (a factory file from npm run provision)");
  const o = obj as Record<string, unknown>;
  if (o.format !== FACTORY_FORMAT) bad(`"format" is ${JSON.stringify(o.format)}, not "${FACTORY_FORMAT}": not a factory file this tool reads`);
  if (typeof o.id !== "string" || !/^[a-z0-9-]{1,64}$/.test(o.id)) bad(`"id" is 1…64 of a-z, 0-9 and -, got ${JSON.stringify(o.id)}`);
  if (typeof o.board !== "string" || o.board === "") bad(`"board" names a board file, got ${JSON.stringify(o.board)}`);
  if (!Number.isInteger(o.discriminator) || (o.discriminator as number) < 0 || (o.discriminator as number) > MAX_DISCRIMINATOR)
    bad(`"discriminator" is an integer 0…${MAX_DISCRIMINATOR}, got ${JSON.stringify(o.discriminator)}`);
  const sealed = "sealedSetupCode" in o || "deviceSecret" in o;
  const keys = sealed ? ["format", "id", "board", "discriminator", "deviceSecret", "sealedSetupCode"] : ["format", "id", "board", "discriminator", "setupCode"];
  for (const k of Object.keys(o)) if (!keys.includes(k)) bad(`unknown field ${JSON.stringify(k)}${k === "setupCode" ? " beside a sealed code (the clear code is on the label only)" : ""}`);
  if (sealed) {
    if (typeof o.deviceSecret !== "string" || !HEX(64).test(o.deviceSecret)) bad(`"deviceSecret" is 64 lowercase hex digits (32 bytes)`);
    if (typeof o.sealedSetupCode !== "string" || !HEX(2 * SETUP_SEAL_BYTES).test(o.sealedSetupCode)) bad(`"sealedSetupCode" is ${2 * SETUP_SEAL_BYTES} lowercase hex digits (${SETUP_SEAL_BYTES} bytes)`);
  } else {
    if (typeof o.setupCode !== "string") bad(`"setupCode" is missing (a board without a device secret keeps the code in clear)`);
    const p = setupCodeProblem(o.setupCode as string);
    if (p) bad(`"setupCode": ${p}`);
  }
  return o as unknown as FactoryFile;
}

export function readFactoryFile(path: string): FactoryFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new FactoryFileError(`${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new FactoryFileError(`${path}: not JSON (${(e as Error).message})`);
  }
  return validateFactoryFile(obj, path);
}
