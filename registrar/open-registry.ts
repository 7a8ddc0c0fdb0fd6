/**
 * Which store a registry location names, and opening it: a postgres:// or postgresql:// URL is a
 * PostgreSQL database (registrar/postgres-registry.ts); anything else is a SQLite file path
 * (registrar/sqlite-registry.ts, the default). The location comes from --db, else the
 * FIRSTLIGHT_DB environment variable, else DIR/registry.db.
 */
import { join, resolve } from "node:path";
import { RegistrarError } from "./derive.ts";
import { isPostgresUrl, openPostgresRegistry, redactUrl } from "./postgres-registry.ts";
import { openSqliteRegistry } from "./sqlite-registry.ts";
import type { Registry, RegistryKeys } from "./registry.ts";

export const DB_ENV = "FIRSTLIGHT_DB";

/** The registry location: `option` (--db), else $FIRSTLIGHT_DB, else `stateDir`/registry.db; file paths made absolute. */
export function registryLocation(stateDir: string, option?: string): string {
  const given = option ?? process.env[DB_ENV];
  if (given !== undefined && given.trim() === "") throw new RegistrarError("BAD_DB_URL", `${option !== undefined ? "--db" : DB_ENV} is empty: give a file path or a postgres:// URL`);
  const loc = given ?? join(stateDir, "registry.db");
  if (isPostgresUrl(loc)) return loc;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(loc)) throw new RegistrarError("BAD_DB_URL", `${JSON.stringify(redactUrl(loc))}: a registry is a file path or a postgres:// URL (no other store is known)`);
  return resolve(loc);
}

export function isFileLocation(location: string): boolean {
  return !isPostgresUrl(location);
}

/**
 * Opens the registry at `location` (registryLocation). Without `create`, a registry that does not
 * exist yet is refused (NO_REGISTRY) instead of made, so a mistyped location creates nothing.
 */
export function openRegistry(location: string, keys: RegistryKeys, o: { create?: boolean; now?: () => string } = {}): Promise<Registry> {
  return isPostgresUrl(location) ? openPostgresRegistry(location, keys, o) : openSqliteRegistry(location, keys, o);
}
