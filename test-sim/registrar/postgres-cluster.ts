/**
 * A throwaway PostgreSQL for tests and benches: Debian's server binaries
 * (/usr/lib/postgresql/VERSION/bin, package postgresql), a cluster made by initdb in a temporary
 * directory, listening on a free port on 127.0.0.1 and on a Unix socket in that directory, run as
 * an unprivileged user (as root: the user firstlight-pg, made with useradd when absent; PostgreSQL
 * refuses to run as root), stopped and deleted by `stop()` (and at process exit, whatever happens).
 *
 *   const skip = missingPostgres();              // false, or why the tests are skipped (throws in CI)
 *   const pg = await startCluster();             // role firstlight, password pg.password
 *   const url = await pg.createDatabase("t1");   // postgres://firstlight:…@127.0.0.1:PORT/t1
 *   await pg.stop();
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { freePort } from "../free-port.ts";

const RUN_AS = "firstlight-pg";

/** The newest Debian PostgreSQL server's bin directory, or null. */
export function postgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  return null;
}

export const POSTGRES_HINT = "PostgreSQL is not installed: apt-get install postgresql (Debian package postgresql; .ci/run installs it)";

/** For node:test's `skip`: false when a server can be started here, else the install hint. Throws in CI (env CI set). */
export function missingPostgres(): string | false {
  if (postgresBin()) return false;
  if (process.env.CI) throw new Error(`${POSTGRES_HINT} — CI must install it`);
  return POSTGRES_HINT;
}


/** The uid/gid the server runs as: ours, or (as root) firstlight-pg's, made when absent. */
function runAs(): { uid: number; gid: number; wrap: (argv: string[]) => string[] } {
  if (process.getuid?.() !== 0) return { uid: process.getuid!(), gid: process.getgid!(), wrap: (a) => a };
  let id = spawnSync("id", ["-u", RUN_AS], { encoding: "utf8" });
  if (id.status !== 0) {
    const made = spawnSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`cannot make the user ${RUN_AS} to run PostgreSQL as (PostgreSQL refuses root): ${made.stderr}`);
    id = spawnSync("id", ["-u", RUN_AS], { encoding: "utf8" });
  }
  const gid = Number(spawnSync("id", ["-g", RUN_AS], { encoding: "utf8" }).stdout.trim());
  return { uid: Number(id.stdout.trim()), gid, wrap: (a) => ["runuser", "-u", RUN_AS, "--", ...a] };
}

function spawn(argv: string[]) {
  return spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: 120_000 });
}

function run(argv: string[], what: string): void {
  const r = spawn(argv);
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
}

export interface Cluster {
  port: number;
  /** The role's password (the role is firstlight, a superuser of the cluster). */
  password: string;
  /** The Unix socket directory. */
  socketDir: string;
  /** The URL of database `db` over TCP with the password. */
  url(db: string): string;
  /** Creates database `db`; returns its URL. */
  createDatabase(db: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error(POSTGRES_HINT);
  const who = runAs();
  const dir = mkdtempSync(join(tmpdir(), "fl-pg-"));
  chmodSync(dir, 0o700);
  const data = join(dir, "data"), password = randomBytes(12).toString("hex"), pwfile = join(dir, "pw");
  writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  chownSync(dir, who.uid, who.gid);
  chownSync(pwfile, who.uid, who.gid);
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    spawn(who.wrap([join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopNow);
  try {
    run(who.wrap([join(bin, "initdb"), "-D", data, "-U", "firstlight", "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions"]), "initdb");
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
      const r = spawn(who.wrap([join(bin, "pg_ctl"), "-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "-o", opts, "start"]));
      if (r.status === 0) break;
      if (attempt === 2) throw new Error(`pg_ctl start failed: ${r.stderr || r.stdout}`);
    }
    const url = (db: string) => `postgres://firstlight:${password}@127.0.0.1:${port}/${db}`;
    return {
      port, password, socketDir: dir, url,
      async createDatabase(db: string) {
        const c = new pg.Client({ connectionString: url("postgres") });
        await c.connect();
        try {
          await c.query(`CREATE DATABASE "${db.replace(/"/g, "")}"`);
        } finally {
          await c.end();
        }
        return url(db);
      },
      async stop() {
        process.removeListener("exit", stopNow);
        stopNow();
      },
    };
  } catch (e) {
    process.removeListener("exit", stopNow);
    stopNow();
    throw e;
  }
}
