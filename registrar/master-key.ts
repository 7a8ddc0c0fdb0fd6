/**
 * The registrar's master key: 32 random bytes in a file of its own (hex, mode 0600), never in the
 * database, so a copy of the registry alone derives no device key. Created on first use,
 * written atomically (temporary file, fsync, rename).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { RegistrarError } from "./derive.ts";

export function loadOrCreateMasterKey(path: string): Uint8Array {
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o077;
    if (mode !== 0) throw new RegistrarError("KEY_PERMISSIONS", `${path} is readable by others (mode ${(statSync(path).mode & 0o777).toString(8)}); chmod 600 it`);
    const text = readFileSync(path, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new RegistrarError("BAD_MASTER", `${path} does not hold a 32-byte hex master key`);
    return Uint8Array.from(Buffer.from(text, "hex"));
  }
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
  return Uint8Array.from(key);
}

/** The key of the registry's audit chain, derived from the master key. */
export function registryAuditKey(master: Uint8Array): Uint8Array {
  return hkdf(sha256, master, new TextEncoder().encode("firstlight/1 registry-audit"), new Uint8Array(0), 32);
}
