/**
 * The registry at fleet scale, SQLite and PostgreSQL side by side (run alone:
 * `npx tsx bench/run.ts registry-scale`). For each store: N generated devices bulk-inserted (setup,
 * timed but not through the registry), then through the registry (registrar/registry.ts):
 * single adds (a transaction and an audit row each), single lookups by id, lookups followed by the
 * device's key derivation (what `registrar psk` does), and the size on disk; and each lookup's
 * query plan, which must use an index. PostgreSQL is a throwaway cluster
 * (test-sim/registrar/postgres-cluster.ts: fsync off, so its single adds are an upper bound);
 * SQLite is a WAL file with the default synchronous mode.
 *
 *   FIRSTLIGHT_BENCH_DEVICES=1000000 npx tsx bench/run.ts registry-scale    (default 100000)
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { deriveDeviceKey } from "../registrar/derive.ts";
import { registryKeys } from "../registrar/master-key.ts";
import { openRegistry } from "../registrar/open-registry.ts";
import type { SqlRegistry } from "../registrar/sql-registry.ts";
import { postgresBin, startCluster, POSTGRES_HINT } from "../test-sim/registrar/postgres-cluster.ts";
import type { BenchRow } from "./run.ts";

const DEFAULT_DEVICES = 100_000;
const LOOKUPS = 20_000;
const ADDS = 1_000;
const BATCH = 10_000;
const MASTER = new Uint8Array(32).fill(0x33);

function devicesWanted(): number {
  const v = process.env.FIRSTLIGHT_BENCH_DEVICES;
  if (v === undefined) return DEFAULT_DEVICES;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1000 || n > 10_000_000) throw new Error(`FIRSTLIGHT_BENCH_DEVICES is a whole number 1000 … 10000000, got ${JSON.stringify(v)}`);
  return n;
}

/** Device i: its identity key (hex) and id, as pairing would record them. */
function device(i: number): { id: string; identity: string } {
  const identity = createHash("sha256").update(`bench device ${i}`).digest();
  return { id: createHash("sha256").update(identity).digest("hex").slice(0, 16), identity: identity.toString("hex") };
}

const AT = "2026-01-01T00:00:00.000Z";

async function bulkSqlite(path: string, n: number): Promise<void> {
  const db = new Database(path);
  db.pragma("busy_timeout = 30000");
  // Setup only: the registry's own connection keeps SQLite's defaults. Random ids and identity keys
  // land all over both B-trees; with the default 2 MB page cache a million inserts mostly wait on reads.
  db.pragma("cache_size = -262144");
  db.pragma("synchronous = OFF");
  const ins = db.prepare("INSERT INTO devices (id, identity_public, epoch, status, board, created_at, updated_at) VALUES (?, ?, 0, 'active', 'bench', ?, ?)");
  for (let from = 0; from < n; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(n, from + BATCH); i++) {
        const d = device(i);
        ins.run(d.id, d.identity, AT, AT);
      }
    })();
  }
  db.close();
}

async function bulkPostgres(url: string, n: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let from = 0; from < n; from += BATCH) {
      const ids: string[] = [], keys: string[] = [];
      for (let i = from; i < Math.min(n, from + BATCH); i++) {
        const d = device(i);
        ids.push(d.id);
        keys.push(d.identity);
      }
      await c.query("INSERT INTO devices (id, identity_public, epoch, status, board, created_at, updated_at) SELECT id, k, 0, 'active', 'bench', $3, $3 FROM unnest($1::text[], $2::text[]) AS t(id, k)", [ids, keys, AT]);
    }
    await c.query("ANALYZE devices");
  } finally {
    await c.end();
  }
}

/** Whether a plan reads through an index (SQLite: SEARCH … USING INDEX / PRIMARY KEY; PostgreSQL: Index Scan). */
function indexed(plan: string[]): boolean {
  return plan.some((l) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY|Index (Only )?Scan/i.test(l)) && !plan.some((l) => /^SCAN devices$|Seq Scan/i.test(l.trim()));
}

async function measure(kind: "sqlite" | "postgres", location: string, n: number, bulk: (loc: string, n: number) => Promise<void>): Promise<BenchRow[]> {
  const section = `registry at scale: ${n.toLocaleString("en-US")} devices`;
  const keys = registryKeys(MASTER);
  await (await openRegistry(location, keys, { create: true })).close();
  const t0 = performance.now();
  await bulk(location, n);
  const bulkS = (performance.now() - t0) / 1000;
  const r = (await openRegistry(location, keys)) as SqlRegistry;
  try {
    if ((await r.count()) !== n) throw new Error(`registry-scale: ${kind} holds ${await r.count()} devices, not ${n}`);
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string, target?: BenchRow["target"]) => rows.push({ section, name, engine: kind, value, unit, note, target });
    row("bulk insert (setup, not through the registry)", n / bulkS, "devices/s", `${bulkS.toFixed(1)} s`);

    let t = performance.now();
    for (let i = 0; i < ADDS; i++) await r.add(device(n + i).identity, { board: "bench" });
    row("register one device (registry.add: transaction + audit row)", ADDS / ((performance.now() - t) / 1000), "/s", `${ADDS} adds after the bulk`);

    let seed = 12345;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return device(seed % n).id;
    };
    t = performance.now();
    for (let i = 0; i < LOOKUPS; i++) if ((await r.get(pick())).status !== "active") throw new Error("registry-scale: a lookup found the wrong device");
    row("look up one device by id (registry.get)", LOOKUPS / ((performance.now() - t) / 1000), "/s", `${LOOKUPS} random ids`);

    const master = Uint8Array.from(MASTER);
    t = performance.now();
    for (let i = 0; i < LOOKUPS / 4; i++) {
      const d = await r.get(pick());
      deriveDeviceKey(master, d.id, d.epoch).fill(0);
    }
    row("look up + derive the device key (registrar psk)", LOOKUPS / 4 / ((performance.now() - t) / 1000), "/s", "HKDF-SHA256, @noble/hashes");

    const bytes = await r.backend.sizeOnDisk();
    row("size on disk", bytes / 1048576, "MiB", `${Math.round(bytes / (n + ADDS))} bytes per device`);

    const probe = device(7);
    for (const [what, sql, params] of [
      ["by id", "SELECT * FROM devices WHERE id = ?", [probe.id]],
      ["by identity key", "SELECT id FROM devices WHERE identity_public = ?", [probe.identity]],
      ["a device's audit", "SELECT * FROM registry_audit WHERE device_id = ? ORDER BY seq", [probe.id]],
    ] as [string, string, unknown[]][]) {
      const plan = await r.backend.explain(sql, params);
      const ok = indexed(plan);
      row(`query plan, lookup ${what}: uses an index`, ok ? 1 : 0, "1 = yes", plan.map((l) => l.replace(/\s*\(cost=[^)]*\)/, "").replace(/^[\s>-]+/, "")).filter((l) => !/^(Recheck|Sort Key|Index Cond)/.test(l)).join(" / "), { goal: `${kind} lookup ${what} is index-backed`, met: ok });
    }
    return rows;
  } finally {
    await r.close();
  }
}

export async function run(): Promise<BenchRow[]> {
  const n = devicesWanted();
  if (process.env.FIRSTLIGHT_BENCH_DEVICES === undefined) console.log(`registry-scale: ${n.toLocaleString("en-US")} devices (FIRSTLIGHT_BENCH_DEVICES=1000000 for a million: a few minutes)`);
  const dir = mkdtempSync(join(tmpdir(), "fl-bench-registry-"));
  const rows: BenchRow[] = [];
  try {
    rows.push(...(await measure("sqlite", join(dir, "registry.db"), n, bulkSqlite)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!postgresBin()) {
    rows.push({ section: "registry at scale", name: "PostgreSQL figures", engine: "postgres", value: NaN, unit: "", note: POSTGRES_HINT });
    return rows;
  }
  const cluster = await startCluster();
  try {
    rows.push(...(await measure("postgres", await cluster.createDatabase("bench"), n, bulkPostgres)));
  } finally {
    await cluster.stop();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) run().then((rows) => console.log(rows));
