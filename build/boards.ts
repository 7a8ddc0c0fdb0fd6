/**
 * Board files: boards/NAME.json, one per board (docs/boards.md). `validateBoard` checks every field
 * and refuses unknown ones, reporting every problem in one error; `loadBoard` reads and validates
 * one file; `listBoards` names them all.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { BoardConfig } from "../hal/board-config.ts";
import { ROOT } from "./paths.ts";

export const BOARDS_DIR = join(ROOT, "boards");

/** Linux's readiness threshold; the firmware refuses a lower gate too (firmware/entropy/gate.ts). */
export const MIN_GATE_BITS = 256;
export const MAX_GATE_BITS = 4096;
export const MIN_PAGE_SIZE = 256;
export const MAX_PAGE_SIZE = 128 * 1024;
export const WRITE_SIZES = [1, 2, 4, 8, 16];
export const ENGINES = ["espruino", "jerryscript", "nodemcu", "sim"];
export const LANGUAGES = ["es5", "lua51", "lua53"];
export const STATUSES = ["supported", "planned"];
/**
 * Device secret kinds: "sim-fixed" is the simulator's public constant (not a secret);
 * "factory-provisioned" is 32 bytes written at manufacture into a read-protected area that only
 * the native port returns (firstlight_native.deviceSecret()).
 */
export const SECRET_KINDS = ["sim-fixed", "factory-provisioned"];
/**
 * The native accelerator per board (hal/accel.ts, docs/engines.md): which X25519 and which SHA-2
 * run, and on which engine each may be chosen. "portable" (the TypeScript) is valid everywhere.
 */
export const ACCEL_X25519: Record<string, string[]> = {
  portable: ENGINES,
  "cortex-m4-blob": ["espruino"],
  "jerryscript-native": ["jerryscript"],
};
/** ChaCha20-Poly1305 from the same kernel as X25519 (optional field: absent = portable). */
export const ACCEL_AEAD: Record<string, string[]> = ACCEL_X25519;
/** HMAC/HKDF-SHA-256 and the HMAC_DRBG steps from the kernel (optional field: absent = portable). */
export const ACCEL_KDF: Record<string, string[]> = {
  portable: ENGINES,
  "cortex-m4-blob": ["espruino"],
  "jerryscript-native": ["jerryscript"],
};
/** One-shot SHA-256/SHA-512: Espruino's require("crypto"), or the kernel's fl_sha256/fl_sha512 linked into the JerryScript port. */
export const ACCEL_SHA2: Record<string, string[]> = {
  portable: ENGINES,
  "espruino-crypto": ["espruino"],
  "jerryscript-native": ["jerryscript"],
};
/** How the commissioner reaches an Espruino board: TCP over require("net") (Wi-Fi, the Linux build) or BLE UART. */
export const LINK_TRANSPORTS = ["tcp", "ble"];
const NAME_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ID_RE = /^[a-z0-9][a-z0-9-]*$/;

const FIELDS: Record<string, string[]> = {
  "": ["name", "description", "status", "engine", "language", "budgets", "flash", "storage", "link", "button", "led", "trng", "jitter", "entropy", "deviceSecret", "accel", "notes"],
  storage: ["baseAddress", "bytes"],
  link: ["transport", "port"],
  budgets: ["codeBytes", "heapBytes", "jsVars"],
  flash: ["pageSize", "pageCount", "writeSize", "baseAddress"],
  button: ["pin", "activeLow"],
  led: ["pin", "activeLow"],
  trng: ["source", "bitsPerByte", "bytesPerSecond"],
  jitter: ["source", "bitsPerByte", "bytesPerSecond"],
  entropy: ["gateBits"],
  deviceSecret: ["kind"],
  accel: ["x25519", "sha2", "aead", "kdf"],
};

export class BoardError extends Error {
  readonly code = "BOARD_INVALID";
  readonly problems: string[];
  constructor(where: string, problems: string[]) {
    super(where + ": " + problems.join("; "));
    this.name = "BoardError";
    this.problems = problems;
  }
}

const show = (v: unknown): string => (v === undefined ? "nothing" : typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);
const isPow2 = (n: number): boolean => isInt(n) && n > 0 && (n & (n - 1)) === 0;

/**
 * Checks a parsed board file. Returns it typed when every field is right; otherwise throws a
 * BoardError whose message lists every bad field: `boards/x.json: flash.pageSize must be …; …`.
 * `name` is the file's board name: the `name` field must equal it.
 */
export function validateBoard(obj: unknown, name: string): BoardConfig {
  const where = `boards/${name}.json`;
  const p: string[] = [];
  if (!isObject(obj)) throw new BoardError(where, [`must be a JSON object, got ${Array.isArray(obj) ? "an array" : show(obj)}`]);

  const unknown = (o: Record<string, unknown>, path: string): void => {
    for (const k of Object.keys(o)) if (!FIELDS[path].includes(k)) p.push(`${path ? path + "." : ""}${k} is not a board field`);
  };
  const obj2 = (path: string, nullable: boolean): Record<string, unknown> | null => {
    const v = obj[path];
    if (nullable && v === null) return null;
    if (!isObject(v)) {
      p.push(`${path} must be an object${nullable ? " or null" : ""}, got ${show(v)}`);
      return null;
    }
    unknown(v, path);
    return v;
  };
  const str = (o: Record<string, unknown>, key: string, path: string, re?: RegExp, what?: string): string | null => {
    const v = o[key];
    if (typeof v !== "string" || v.length === 0 || (re && !re.test(v))) {
      p.push(`${path} must be ${what ?? "a non-empty string"}, got ${show(v)}`);
      return null;
    }
    return v;
  };
  const oneOf = (o: Record<string, unknown>, key: string, path: string, set: string[]): string | null => {
    const v = o[key];
    if (typeof v !== "string" || !set.includes(v)) {
      p.push(`${path} must be one of ${set.join(", ")}, got ${show(v)}`);
      return null;
    }
    return v;
  };
  const int = (o: Record<string, unknown>, key: string, path: string, min: number, max: number): number | null => {
    const v = o[key];
    if (!isInt(v) || v < min || v > max) {
      p.push(`${path} must be an integer ${min}…${max}, got ${show(v)}`);
      return null;
    }
    return v;
  };
  const bool = (o: Record<string, unknown>, key: string, path: string): void => {
    if (typeof o[key] !== "boolean") p.push(`${path} must be true or false, got ${show(o[key])}`);
  };

  unknown(obj, "");
  const nm = str(obj, "name", "name", NAME_RE, "a board id (a-z, 0-9, '-', at most 40)");
  if (nm !== null && nm !== name) p.push(`name must equal the file name "${name}", got ${show(nm)}`);
  str(obj, "description", "description");
  const status = obj.status === undefined ? "supported" : oneOf(obj, "status", "status", STATUSES);
  const engine = oneOf(obj, "engine", "engine", ENGINES);
  const language = oneOf(obj, "language", "language", LANGUAGES);
  if (engine && language) {
    const lua = language !== "es5";
    if (engine === "nodemcu" && !lua) p.push(`language must be lua51 or lua53 for engine nodemcu, got "es5"`);
    if (engine !== "nodemcu" && lua) p.push(`language must be es5 for engine ${engine}, got "${language}"`);
  }
  if (engine === "nodemcu" && status !== null && status !== "planned")
    p.push(`status must be "planned" for engine nodemcu (the Lua target has no build yet), got ${show(status)}`);

  const b = obj2("budgets", false);
  if (b) {
    int(b, "codeBytes", "budgets.codeBytes", 1024, 1 << 30);
    int(b, "heapBytes", "budgets.heapBytes", 1024, 1 << 30);
    if (engine === "espruino") int(b, "jsVars", "budgets.jsVars", 100, 1 << 20);
    else if (engine && b.jsVars !== undefined) p.push(`budgets.jsVars is for engine espruino only, got ${show(b.jsVars)} on ${engine}`);
  }

  const f = obj2("flash", false);
  if (f) {
    const ps = f.pageSize;
    const okPs = isPow2(ps as number) && (ps as number) >= MIN_PAGE_SIZE && (ps as number) <= MAX_PAGE_SIZE;
    if (!okPs) p.push(`flash.pageSize must be a power of two ${MIN_PAGE_SIZE}…${MAX_PAGE_SIZE}, got ${show(ps)}`);
    const pc = int(f, "pageCount", "flash.pageCount", 3, 4096);
    if (pc === null && isInt(f.pageCount) && (f.pageCount as number) < 3)
      p[p.length - 1] += " (the credential store needs a key page, a data page and a spare page for GC)";
    const ws = f.writeSize;
    if (!WRITE_SIZES.includes(ws as number)) p.push(`flash.writeSize must be one of ${WRITE_SIZES.join(", ")}, got ${show(ws)}`);
    else if (okPs && (ps as number) % (ws as number) !== 0) p.push(`flash.writeSize ${ws} must divide flash.pageSize ${ps}`);
    const base = int(f, "baseAddress", "flash.baseAddress", 0, 0xffffffff);
    if (base !== null && okPs) {
      if (base % (ps as number) !== 0) p.push(`flash.baseAddress must be a multiple of flash.pageSize ${ps}, got 0x${base.toString(16)}`);
      if (pc !== null && base + pc * (ps as number) > 0x100000000) p.push(`flash area 0x${base.toString(16)} + ${pc} × ${ps} passes the 32-bit address space`);
    }
  }

  // Espruino: where the stock build's Storage lives, so the boot check (hal/espruino/store-area.ts)
  // and the flash tool can keep firstlight's pages clear of it; and how the commissioner connects.
  if (engine === "espruino") {
    const st = obj2("storage", false);
    if (st) {
      int(st, "baseAddress", "storage.baseAddress", 0, 0xffffffff);
      int(st, "bytes", "storage.bytes", 1024, 1 << 30);
    }
    if (obj.link !== undefined) {
      const l = obj2("link", false);
      if (l) {
        const tr = oneOf(l, "transport", "link.transport", LINK_TRANSPORTS);
        if (tr === "tcp") int(l, "port", "link.port", 1, 65535);
        else if (tr && l.port !== undefined) p.push(`link.port is for transport tcp only, got ${show(l.port)}`);
      }
    } else if (status !== "planned") p.push(`link must be an object (how the commissioner connects), got nothing`);
  } else {
    if (obj.storage !== undefined) p.push(`storage is for engine espruino only, got ${show(obj.storage)}`);
    if (obj.link !== undefined) p.push(`link is for engine espruino only, got ${show(obj.link)}`);
  }

  const btn = obj2("button", false);
  if (btn) {
    str(btn, "pin", "button.pin");
    bool(btn, "activeLow", "button.activeLow");
  }
  const led = obj2("led", true);
  if (led) {
    str(led, "pin", "led.pin");
    bool(led, "activeLow", "led.activeLow");
  }

  const source = (key: "trng" | "jitter"): number | null => {
    const t = key === "jitter" && obj[key] === undefined ? null : obj2(key, false);
    if (!t) return null;
    str(t, "source", key + ".source", ID_RE, "a source id (a-z, 0-9, '-')");
    const v = t.bitsPerByte;
    let got: number | null = null;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 8) p.push(`${key}.bitsPerByte must be 0…8, got ${show(v)}`);
    else got = v;
    const r = t.bytesPerSecond;
    if (typeof r !== "number" || !Number.isFinite(r) || r <= 0) p.push(`${key}.bytesPerSecond must be a number > 0, got ${show(r)}`);
    return got;
  };
  const bits = source("trng");
  source("jitter");

  const e = obj2("entropy", false);
  if (e) {
    const g = e.gateBits;
    if (!isInt(g) || g < MIN_GATE_BITS || g > MAX_GATE_BITS)
      p.push(`entropy.gateBits must be an integer ${MIN_GATE_BITS}…${MAX_GATE_BITS} (a board may raise the gate, never lower it), got ${show(g)}`);
  }

  if (!("deviceSecret" in obj)) p.push(`deviceSecret must be an object or null, got nothing`);
  else {
    const s = obj2("deviceSecret", true);
    if (s) {
      const kind = oneOf(s, "kind", "deviceSecret.kind", SECRET_KINDS);
      if (kind === "sim-fixed" && engine && engine !== "sim") p.push(`deviceSecret.kind "sim-fixed" is for engine sim only, got engine ${engine}`);
      if (kind === "factory-provisioned" && engine && engine !== "jerryscript")
        p.push(`deviceSecret.kind "factory-provisioned" needs the native binding (engine jerryscript), got engine ${engine}`);
    }
  }

  if (obj.accel !== undefined) {
    const a = obj2("accel", false);
    if (a) {
      const pairs: [string, Record<string, string[]>][] = [["x25519", ACCEL_X25519], ["sha2", ACCEL_SHA2]];
      if (a.aead !== undefined) pairs.push(["aead", ACCEL_AEAD]);
      if (a.kdf !== undefined) pairs.push(["kdf", ACCEL_KDF]);
      for (const [key, table] of pairs) {
        const v = oneOf(a, key, "accel." + key, Object.keys(table));
        if (v && engine && !table[v].includes(engine)) p.push(`accel.${key} "${v}" needs engine ${table[v].join(" or ")}, got engine ${engine}`);
      }
    }
  }

  const notes = obj.notes;
  if (notes !== undefined && (!Array.isArray(notes) || notes.length === 0 || notes.some((n) => typeof n !== "string" || n.trim() === "")))
    p.push(`notes must be a non-empty array of non-empty strings, got ${show(notes)}`);
  if (bits === 0 && !Array.isArray(notes))
    p.push(`notes must say what trng.bitsPerByte 0 means for this board (it cannot open the entropy gate alone)`);

  if (p.length) throw new BoardError(where, p);
  return obj as unknown as BoardConfig;
}

/** Board names, sorted: the boards/*.json files. */
export function listBoards(dir: string = BOARDS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
}

/** Reads and validates boards/NAME.json; a clear error for an unknown name or a bad file. */
export function loadBoard(name: string, dir: string = BOARDS_DIR): BoardConfig {
  if (typeof name !== "string" || !NAME_RE.test(name))
    throw new BoardError(`boards/${String(name)}.json`, [`board name must be a board id (a-z, 0-9, '-'), got ${show(name)}`]);
  const file = join(dir, name + ".json");
  if (!existsSync(file)) {
    const known = listBoards(dir);
    throw new BoardError(`boards/${name}.json`, [`unknown board "${name}": no such file (boards: ${known.length ? known.join(", ") : "none"})`]);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new BoardError(`boards/${name}.json`, [`is not valid JSON: ${(err as Error).message}`]);
  }
  return validateBoard(obj, name);
}
