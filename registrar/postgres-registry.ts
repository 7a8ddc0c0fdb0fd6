/**
 * The fleet registry store: a PostgreSQL database (node-postgres, `pg`), shared by any number of
 * registrars and commissioners. Writes are serialized by a transaction-scoped advisory lock taken
 * as each write transaction's first statement (released by its COMMIT or ROLLBACK, also when the
 * client dies), so the audit chain has one order; the unique constraints (device id, identity key,
 * audit link) hold whatever a client does. Reads take no lock (READ COMMITTED snapshots).
 *
 *   postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE            TCP
 *   postgres://USER@/DATABASE?host=/path/to/socket/dir          a Unix socket
 *
 * The database must exist (createdb); its tables are made by the migrations on first use.
 */
import pg from "pg";
import { RegistrarError } from "./derive.ts";
import { migrate } from "./migrations.ts";
import type { Sql, SqlBackend } from "./sql-backend.ts";
import { SqlRegistry } from "./sql-registry.ts";
import type { RegistryKeys } from "./registry.ts";

/** The advisory lock every registry writer takes ("fl" "ir" "st" as a number: any fixed value works). */
const WRITE_LOCK = 0x666c_6972_7374;
const CONNECT_TIMEOUT_MS = 10_000;

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Query parameters that carry a secret (pg and libpq read `?password=` as the user info's password). */
const SECRET_PARAMS = ["password", "sslpassword"];

/** The URL without its passwords (in the user info or the query), for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    for (const k of SECRET_PARAMS) if (u.searchParams.has(k)) u.searchParams.set(k, "***");
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@").replace(/([?&](?:ssl)?password=)[^&#]*/gi, "$1***");
  }
}

/** `?` placeholders become $1, $2 … (the registry's SQL has no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Queries on a pool or a client; a lost connection or a refused login becomes a RegistrarError, a constraint violation stays as it is (sql-registry.ts reads it). */
function runner(c: pg.Pool | pg.PoolClient, where: string): Sql {
  const translate = (e: unknown) => describePgError(e, where) ?? e;
  return {
    all: async <T>(sql: string, params: unknown[] = []) => {
      try {
        return (await c.query(numbered(sql), params)).rows as T[];
      } catch (e) {
        throw translate(e);
      }
    },
    run: async (sql: string, params: unknown[] = []) => {
      try {
        return (await c.query(params.length ? numbered(sql) : sql, params.length ? params : undefined)).rowCount ?? 0;
      } catch (e) {
        throw translate(e);
      }
    },
  };
}

/** A connection failure as a RegistrarError that says what to check. */
export function describePgError(e: unknown, where: string): RegistrarError | null {
  const x = e as { code?: string; message?: string };
  const m = x?.message ?? String(e);
  switch (x?.code) {
    case "ECONNREFUSED": case "ENOTFOUND": case "EHOSTUNREACH": case "ETIMEDOUT": case "ENOENT": case "EAI_AGAIN":
      return new RegistrarError("DB_UNREACHABLE", `cannot reach PostgreSQL at ${where}: ${m} (is the server running, and are host and port right?)`);
    case "ECONNRESET": case "EPIPE": case "57P01": case "57P02": case "57P03":
      return new RegistrarError("DB_UNREACHABLE", `lost the connection to PostgreSQL at ${where}: ${m} (a change in flight was rolled back by the server; run the command again)`);
    case "28P01":
      return new RegistrarError("DB_AUTH", `PostgreSQL at ${where} refused the password: ${m}`);
    case "28000":
      return new RegistrarError("DB_AUTH", `PostgreSQL at ${where} refused the connection: ${m}`);
    case "3D000":
      return new RegistrarError("NO_REGISTRY", `${m} at ${where}: create it first (createdb), the registrar makes its tables`);
  }
  if (/Connection terminated/i.test(m)) return new RegistrarError("DB_UNREACHABLE", `lost the connection to PostgreSQL at ${where}: ${m} (a change in flight was rolled back by the server; run the command again)`);
  if (/timeout/i.test(m)) return new RegistrarError("DB_UNREACHABLE", `cannot reach PostgreSQL at ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s (${m})`);
  if (/password/i.test(m)) return new RegistrarError("DB_AUTH", `PostgreSQL at ${where} asked for a password the URL does not give: ${m}`);
  return null;
}

class PostgresBackend implements SqlBackend {
  readonly kind = "postgres" as const;
  readonly read: Sql;

  constructor(private pool: pg.Pool, readonly where: string) {
    this.read = runner(pool, where);
  }

  async write<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (e) {
      throw describePgError(e, this.where) ?? e;
    }
    try {
      const q = runner(c, this.where);
      await q.run("BEGIN");
      await q.all("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK]);
      const r = await fn(q);
      await q.run("COMMIT");
      c.release();
      return r;
    } catch (e) {
      const lost = e instanceof RegistrarError && e.code === "DB_UNREACHABLE";
      if (!lost) await c.query("ROLLBACK").catch(() => undefined);
      c.release(lost); // a lost connection is dropped from the pool, not reused
      throw e;
    }
  }

  async exec(q: Sql, script: string): Promise<void> {
    await q.run(script);
  }

  async explain(sql: string, params: unknown[] = []): Promise<string[]> {
    return (await this.pool.query(`EXPLAIN ${numbered(sql)}`, params)).rows.map((r: Record<string, string>) => r["QUERY PLAN"]);
  }

  async sizeOnDisk(): Promise<number> {
    const r = await this.pool.query(
      "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace " +
      "WHERE s.nspname = current_schema() AND c.relkind = 'r' AND c.relname IN ('devices', 'registry_audit', 'meta', 'schema_migrations')");
    return Number(r.rows[0].n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens the registry in the PostgreSQL database `url`, migrated and bound to the master key. */
export async function openPostgresRegistry(url: string, keys: RegistryKeys, o: { create?: boolean; now?: () => string } = {}): Promise<SqlRegistry> {
  const now = o.now ?? (() => new Date().toISOString());
  const where = redactUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RegistrarError("BAD_DB_URL", `${JSON.stringify(where)} is not a URL: a PostgreSQL registry is postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`);
  }
  if (!isPostgresUrl(url)) throw new RegistrarError("BAD_DB_URL", `${where}: a PostgreSQL registry URL starts with postgres:// or postgresql://`);
  if (parsed.pathname.length <= 1) throw new RegistrarError("BAD_DB_URL", `${where} names no database: postgres://USER@HOST:PORT/DATABASE`);
  if (parsed.port !== "" && !(Number(parsed.port) > 0 && Number(parsed.port) < 65536)) throw new RegistrarError("BAD_DB_URL", `${where}: port ${parsed.port} is out of range`);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, idleTimeoutMillis: 5_000 });
  pool.on("error", () => undefined); // an idle client's broken connection: the next query reports it
  const backend = new PostgresBackend(pool, where);
  try {
    await pool.query("SELECT 1");
    if (!o.create) {
      const has = await pool.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'");
      if (Number(has.rows[0].n) === 0) throw new RegistrarError("NO_REGISTRY", `no registry in ${where}: nothing was registered there (check --db / FIRSTLIGHT_DB; pairing or \`add\` creates it)`);
    }
    await migrate(backend, now);
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof RegistrarError) throw e;
    throw describePgError(e, where) ?? new RegistrarError("DB_ERROR", `PostgreSQL at ${where}: ${(e as Error).message}`);
  }
  return SqlRegistry.open(backend, keys, now);
}
