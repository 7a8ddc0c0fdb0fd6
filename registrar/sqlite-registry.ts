/**
 * The default registry store: one SQLite file (better-sqlite3), nothing to set up. Several
 * processes may share it: WAL journal (readers never block the writer), a busy timeout (a writer
 * waits for another instead of failing), and BEGIN IMMEDIATE (a write transaction takes the write
 * lock at its start, so two writers never read the same audit head). Within one process the
 * operations run one at a time (a queue), since the connection is one.
 */
import Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import { RegistrarError } from "./derive.ts";
import { migrate } from "./migrations.ts";
import type { Sql, SqlBackend } from "./sql-backend.ts";
import { SqlRegistry } from "./sql-registry.ts";
import type { RegistryKeys } from "./registry.ts";

/** How long a writer waits for another process's write lock before giving up. */
export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

/** Columns a file from before the migrations may lack (added then with their defaults). */
const LEGACY_COLUMNS: [string, string][] = [
  ["audit_seq_high", "INTEGER NOT NULL DEFAULT -1"],
  ["audit_entry_high", "TEXT NOT NULL DEFAULT ''"],
  ["store_generation_high", "INTEGER NOT NULL DEFAULT -1"],
];

class SqliteBackend implements SqlBackend {
  readonly kind = "sqlite" as const;
  readonly read: Sql;
  private queue: Promise<unknown> = Promise.resolve();
  private direct: Sql;

  constructor(private db: Database.Database, readonly where: string) {
    this.direct = {
      all: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[],
      run: async (sql: string, params: unknown[] = []) => db.prepare(sql).run(...params).changes,
    };
    this.read = {
      all: <T>(sql: string, params?: unknown[]) => this.serial(() => this.direct.all<T>(sql, params)),
      run: (sql: string, params?: unknown[]) => this.serial(() => this.direct.run(sql, params)),
    };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(fn, fn);
    this.queue = p.catch(() => undefined);
    return p;
  }

  write<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const r = await fn(this.direct);
        this.db.exec("COMMIT");
        return r;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    });
  }

  async exec(_q: Sql, script: string): Promise<void> {
    this.db.exec(script);
  }

  async explain(sql: string, params: unknown[] = []): Promise<string[]> {
    return this.serial(async () => (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail));
  }

  async sizeOnDisk(): Promise<number> {
    return [this.where, `${this.where}-wal`, `${this.where}-shm`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      if (this.db.open) this.db.close();
    });
  }
}

/** A file from before versioned migrations holds version 1 already (with its columns completed). */
async function adoptLegacy(q: Sql): Promise<void> {
  const devices = await q.all<{ name: string }>("PRAGMA table_info(devices)");
  if (devices.length === 0) return;
  const have = new Set(devices.map((c) => c.name));
  for (const [name, type] of LEGACY_COLUMNS) if (!have.has(name)) await q.run(`ALTER TABLE devices ADD COLUMN ${name} ${type}`);
  await q.run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  await q.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, 'initial', ?)", [new Date().toISOString()]);
}

/** Opens (with `create`, makes) the registry file at `path`, migrated and bound to the master key. */
export async function openSqliteRegistry(path: string, keys: RegistryKeys, o: { create?: boolean; now?: () => string } = {}): Promise<SqlRegistry> {
  const now = o.now ?? (() => new Date().toISOString());
  if (!o.create && !existsSync(path)) throw new RegistrarError("NO_REGISTRY", `no registry at ${path}: nothing was registered there (check --db; pairing or \`add\` creates it)`);
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: !o.create });
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
  } catch (e) {
    throw new RegistrarError("BAD_DB", `${path} cannot be opened as a SQLite registry: ${(e as Error).message}`);
  }
  const backend = new SqliteBackend(db, path);
  try {
    await migrate(backend, now, adoptLegacy);
  } catch (e) {
    await backend.close();
    if (e instanceof RegistrarError) throw e;
    throw new RegistrarError("BAD_DB", `${path} is not a registry this registrar can migrate: ${(e as Error).message}`);
  }
  return SqlRegistry.open(backend, keys, now);
}
