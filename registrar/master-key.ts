/**
 * The registrar's master key: 32 random bytes, never in the database, so a copy of the registry
 * alone derives no device key. It comes from (first that is set):
 *
 *   FIRSTLIGHT_MASTER_KEY   64 hex digits in the environment (e.g. from a secrets manager)
 *   a key file              hex, mode 0600 (refused when group or others may read it);
 *                           created on first use, written atomically (temporary file, fsync, rename,
 *                           fsync of the directory)
 *
 * From it come the registry's audit key and its id (which the registry records, to refuse any
 * other master); the per-device keys come from it too (registrar/derive.ts).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { RegistrarError } from "./derive.ts";
import type { RegistryKeys } from "./registry.ts";

export const MASTER_ENV = "FIRSTLIGHT_MASTER_KEY";

function parseMaster(text: string, from: string): Uint8Array {
  const t = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(t)) throw new RegistrarError("BAD_MASTER", `${from} does not hold a 32-byte hex master key (64 hex digits)`);
  return Uint8Array.from(Buffer.from(t, "hex"));
}

/** Reads the master key file (mode 0600); RegistrarError NO_MASTER_KEY when it is absent. */
export function readMasterKeyFile(path: string): Uint8Array {
  if (!existsSync(path)) throw new RegistrarError("NO_MASTER_KEY", `no master key at ${path} (check --master or ${MASTER_ENV}; restore it from your backup: a new one would not match)`);
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new RegistrarError("KEY_PERMISSIONS", `${path} is readable by others (mode ${mode.toString(8)}); chmod 600 it`);
  return parseMaster(readFileSync(path, "utf8"), path);
}

/** Writes a new random master key to `path` (0600, atomically); refuses an existing file. */
export function createMasterKeyFile(path: string): Uint8Array {
  if (existsSync(path)) throw new RegistrarError("EXISTS", `${path} exists; the registrar does not overwrite key files`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, key.toString("hex") + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dirname(path));
  const out = Uint8Array.from(key);
  key.fill(0);
  return out;
}

/**
 * fsyncs a directory, so a rename into it survives a power cut: the registry is committed to a new
 * key (rotate-master) right after it is written, and a key file whose name was lost with the page
 * cache would leave a registry that no key opens.
 */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function loadOrCreateMasterKey(path: string): Uint8Array {
  return existsSync(path) ? readMasterKeyFile(path) : createMasterKeyFile(path);
}

/**
 * The master key from $FIRSTLIGHT_MASTER_KEY when set, else from `file` (created when `create`).
 * `explicitFile` (a --master option) wins over the environment.
 */
export function loadMasterKey(file: string, o: { create?: boolean; explicitFile?: boolean } = {}): { key: Uint8Array; from: string } {
  const env = process.env[MASTER_ENV];
  if (env !== undefined && !o.explicitFile) return { key: parseMaster(env, MASTER_ENV), from: MASTER_ENV };
  return { key: o.create ? loadOrCreateMasterKey(file) : readMasterKeyFile(file), from: file };
}

const label = (s: string) => new TextEncoder().encode(s);

/** The key of the registry's audit chain, derived from the master key. */
export function registryAuditKey(master: Uint8Array): Uint8Array {
  return hkdf(sha256, master, label("firstlight/1 registry-audit"), new Uint8Array(0), 32);
}

/** The master key's public name (16 hex digits): the registry stores it to refuse any other master. Reveals nothing of the key (HKDF output). */
export function masterKeyId(master: Uint8Array): string {
  return Buffer.from(hkdf(sha256, master, label("firstlight/1 master-id"), new Uint8Array(0), 8)).toString("hex");
}

/** What a registry is opened with (registrar/registry.ts); the caller wipes the master. */
export function registryKeys(master: Uint8Array): RegistryKeys {
  if (!(master instanceof Uint8Array) || master.length < 32) throw new RegistrarError("BAD_MASTER", "the master key must be at least 32 bytes");
  return { auditKey: registryAuditKey(master), masterId: masterKeyId(master) };
}
