/**
 * The two registry stores, for suites that run the same tests against each: a fresh registry
 * location per call (a new SQLite file; a new database in one throwaway PostgreSQL cluster per
 * test file, test-sim/registrar/postgres-cluster.ts, stopped after the file), and raw SQL on it
 * for tests that play the attacker who edits the store behind the registrar's back.
 *
 *   for (const b of registryBackends()) describe(b.name, { skip: b.skip }, () => { … b.fresh() … });
 */
import { after } from "node:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { missingPostgres, startCluster, type Cluster } from "./postgres-cluster.ts";

export interface TestBackend {
  name: "sqlite" | "postgres";
  /** Why the backend's tests are skipped here, or false. */
  skip: string | false;
  /** A new, empty registry location. */
  fresh(): Promise<string>;
  /** Runs one statement on the store at `location` outside the registrar; returns its rows. */
  raw(location: string, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
}

let cluster: Promise<Cluster> | null = null;
let databases = 0;

/** The file's one PostgreSQL cluster, started on first use and stopped after the file's tests. */
export function sharedCluster(): Promise<Cluster> {
  if (!cluster) cluster = startCluster();
  return cluster;
}

/** Registers (at the top level of a test file: a hook inside a test would run after that test) the cluster's stop. */
function stopClusterAfterFile(): void {
  after(async () => {
    if (cluster) await (await cluster).stop();
  });
}

export const sqliteBackend: TestBackend = {
  name: "sqlite",
  skip: false,
  async fresh() {
    return join(mkdtempSync(join(tmpdir(), "fl-registry-")), "registry.db");
  },
  async raw(location, sql, params = []) {
    const db = new Database(location);
    try {
      const st = db.prepare(sql);
      return st.reader ? (st.all(...params) as Record<string, unknown>[]) : (st.run(...params), []);
    } finally {
      db.close();
    }
  },
};

/** The PostgreSQL backend; call it at a test file's top level (it registers the cluster's stop). */
export function postgresBackend(): TestBackend {
  stopClusterAfterFile();
  return {
    name: "postgres",
    skip: missingPostgres(),
    async fresh() {
      return (await sharedCluster()).createDatabase(`registry_${process.pid}_${++databases}`);
    },
    async raw(location, sql, params = []) {
      const c = new pg.Client({ connectionString: location });
      await c.connect();
      try {
        let n = 0;
        return (await c.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
      } finally {
        await c.end();
      }
    },
  };
}

export function registryBackends(): TestBackend[] {
  return [sqliteBackend, postgresBackend()];
}
