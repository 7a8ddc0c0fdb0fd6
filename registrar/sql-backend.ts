/**
 * What registrar/sql-registry.ts needs from a SQL store: queries with `?` placeholders (the
 * PostgreSQL backend numbers them), and write transactions that never interleave with another
 * writer's, in this process or any other (SQLite: BEGIN IMMEDIATE on a WAL file with a busy
 * timeout; PostgreSQL: a transaction-scoped advisory lock). The audit chain needs that order:
 * each row links the one before it.
 */

export interface Sql {
  /** Every row of the query. */
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface SqlBackend {
  readonly kind: "sqlite" | "postgres";
  /** For messages: a path, or a URL without its password. */
  readonly where: string;
  /** Reads outside a transaction. */
  readonly read: Sql;
  /**
   * Runs `fn` in a transaction that holds the registry's write lock from its first statement to
   * its commit: writers are serialized across processes. A throw rolls everything back.
   */
  write<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /** Runs a whole SQL file (a migration) inside a write transaction's `q`. */
  exec(q: Sql, script: string): Promise<void>;
  /** The plan the store would use for a query, one line per step. */
  explain(sql: string, params?: unknown[]): Promise<string[]>;
  /** Bytes the registry takes on disk (file and WAL; or the database's tables and indexes). */
  sizeOnDisk(): Promise<number>;
  close(): Promise<void>;
}

/** A store error that is a unique-constraint violation (a second identity or id; a forked audit chain). */
export function isUniqueViolation(e: unknown): boolean {
  const x = e as { code?: string };
  return x?.code === "23505" || x?.code === "SQLITE_CONSTRAINT_UNIQUE" || x?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
