/**
 * Versioned schema migrations: registrar/migrations/<backend>/NNN_name.sql, applied in order on
 * open, each in the write transaction that records it in `schema_migrations` (so two registrars
 * starting at once apply each migration once: the second waits for the write lock, then finds it
 * applied). A store whose schema is newer than this code is refused, never written.
 */
import { readdirSync, readFileSync } from "node:fs";
import { RegistrarError } from "./derive.ts";
import type { Sql, SqlBackend } from "./sql-backend.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const DIR = new URL("./migrations/", import.meta.url);

/** The backend's migrations, by version; the versions run 1, 2, 3 … without a gap. */
export function migrationsOf(kind: SqlBackend["kind"]): Migration[] {
  const dir = new URL(`${kind}/`, DIR);
  const list = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .map((f) => {
      const m = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(f);
      if (!m) throw new Error(`registrar/migrations/${kind}/${f}: a migration is named NNN_name.sql`);
      return { version: Number(m[1]), name: m[2], sql: readFileSync(new URL(f, dir), "utf8") };
    })
    .sort((a, b) => a.version - b.version);
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`registrar/migrations/${kind}: version ${i + 1} is missing`);
  });
  return list;
}

/** The newest schema version this code knows (the same on every backend). */
export const SCHEMA_VERSION = migrationsOf("sqlite").length;

const CREATE = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

async function appliedVersion(q: Sql): Promise<number> {
  const rows = await q.all<{ v: number | string | null }>("SELECT MAX(version) AS v FROM schema_migrations");
  return Number(rows[0]?.v ?? 0);
}

/**
 * Brings the store to SCHEMA_VERSION. `adopt` runs first, in the same transaction, when the store
 * had no schema_migrations table: it may record versions a store made before migrations already has.
 * Returns the version the store is at.
 */
export async function migrate(b: SqlBackend, now: () => string, adopt?: (q: Sql) => Promise<void>): Promise<number> {
  const all = migrationsOf(b.kind);
  return b.write(async (q) => {
    const fresh = (await q.all<{ n: number | string }>(
      b.kind === "sqlite"
        ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
    ))[0];
    await q.run(CREATE);
    if (Number(fresh.n) === 0 && adopt) await adopt(q);
    const at = await appliedVersion(q);
    if (at > all.length) {
      throw new RegistrarError("SCHEMA_TOO_NEW",
        `${b.where} has schema version ${at}; this registrar knows versions 1 … ${all.length}: use a newer firstlight (nothing was changed)`);
    }
    for (const m of all.slice(at)) {
      await b.exec(q, m.sql);
      await q.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [m.version, m.name, now()]);
    }
    return all.length;
  });
}

export async function schemaVersionOf(q: Sql): Promise<number> {
  return appliedVersion(q);
}
