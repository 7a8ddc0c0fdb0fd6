/**
 * The registry on PostgreSQL from the command line (`--db postgres://…`, FIRSTLIGHT_DB), and the
 * clear errors of a bad location: not a URL, another scheme, no database named, a server that is
 * not there, a wrong password, a database that does not exist, one that holds no registry yet.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { runRegistrar } from "../../registrar/cli.node.ts";
import { deviceIdOf } from "../../registrar/derive.ts";
import { registryKeys } from "../../registrar/master-key.ts";
import { openRegistry, registryLocation } from "../../registrar/open-registry.ts";
import { redactUrl } from "../../registrar/postgres-registry.ts";
import { openCommissionerState } from "../../commissioner/cli.node.ts";
import { postgresBackend, sharedCluster } from "./backends.ts";
import { startCluster } from "./postgres-cluster.ts";

const pub = (b: number) => Buffer.alloc(32, b).toString("hex");
const keys = registryKeys(new Uint8Array(32).fill(3));
const backend = postgresBackend();

async function registrar(...args: string[]) {
  const out: string[] = [], err: string[] = [];
  const c = await runRegistrar(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code: c, out: out.join("\n"), err: err.join("\n") };
}

async function withEnv<T>(name: string, value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

const refused = (codeWanted: string, text: RegExp) => (e: Error & { code?: string }) => {
  assert.equal(e.code, codeWanted, e.message);
  assert.match(e.message, text);
  return true;
};

test("locations: a file path, a postgres:// URL, FIRSTLIGHT_DB; other schemes and empty values refused", async () => {
  await withEnv("FIRSTLIGHT_DB", undefined, async () => {
    assert.equal(registryLocation("/x"), "/x/registry.db");
    assert.equal(registryLocation("/x", "postgres://u@h/db"), "postgres://u@h/db");
    assert.throws(() => registryLocation("/x", "mysql://u@h/db"), refused("BAD_DB_URL", /a file path or a postgres:\/\/ URL/));
    assert.throws(() => registryLocation("/x", " "), refused("BAD_DB_URL", /--db is empty/));
  });
  await withEnv("FIRSTLIGHT_DB", "postgresql://u@h/fleet", async () => assert.equal(registryLocation("/x"), "postgresql://u@h/fleet"));
  await withEnv("FIRSTLIGHT_DB", "", async () => assert.throws(() => registryLocation("/x"), refused("BAD_DB_URL", /FIRSTLIGHT_DB is empty/)));
});

test("bad URLs and an unreachable server get clear errors", async () => {
  await assert.rejects(openRegistry("postgres://u@h:99999/db", keys), refused("BAD_DB_URL", /not a URL|out of range/));
  await assert.rejects(openRegistry("postgres://u@127.0.0.1/", keys), refused("BAD_DB_URL", /names no database/));
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  await assert.rejects(openRegistry(`postgres://u:secret@127.0.0.1:${port}/db`, keys), refused("DB_UNREACHABLE", new RegExp(`cannot reach PostgreSQL at postgres://u:\\*\\*\\*@127\\.0\\.0\\.1:${port}/db.*is the server running`)));
});

test("a password given in the URL's query (?password=, as libpq and pg take it) is in no message either", async () => {
  assert.equal(redactUrl("postgres://u@h/db?password=hunter2&sslmode=require"), "postgres://u@h/db?password=***&sslmode=require");
  assert.equal(redactUrl("postgres://u:pw@h/db?sslpassword=hunter2"), "postgres://u:***@h/db?sslpassword=***");
  const port = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  await assert.rejects(openRegistry(`postgres://u@127.0.0.1:${port}/db?password=hunter2`, keys), (e: Error & { code?: string }) => {
    assert.equal(e.code, "DB_UNREACHABLE", e.message);
    assert.doesNotMatch(e.message, /hunter2/);
    return true;
  });
  const r = await registrar("--db", `postgres://u@127.0.0.1:${port}/db?password=hunter2`, "list");
  assert.doesNotMatch(r.out + r.err, /hunter2/);
  // A mistyped scheme is refused, naming the location without its password.
  assert.throws(() => registryLocation("/x", "postgress://u:hunter2@h/db"), (e: Error) => /postgress:\/\/u:\*\*\*@h\/db/.test(e.message) && !/hunter2/.test(e.message));
});

describe("against a throwaway PostgreSQL", { skip: backend.skip }, () => {
  test("a wrong password, a missing database, a database without a registry", async () => {
    const c = await sharedCluster();
    const wrong = c.url("postgres").replace(`:${c.password}@`, ":not-the-password@");
    await assert.rejects(openRegistry(wrong, keys, { create: true }), refused("DB_AUTH", /refused the password/));
    await assert.rejects(openRegistry(c.url("no_such_db"), keys, { create: true }), refused("NO_REGISTRY", /database "no_such_db" does not exist.*createdb/));
    const empty = await c.createDatabase("empty_one");
    await assert.rejects(openRegistry(empty, keys), refused("NO_REGISTRY", /no registry in .*empty_one: nothing was registered there/));
    const r = await registrar("--db", empty, "--master", join(mkdtempSync(join(tmpdir(), "fl-pg-cli-")), "master.key"), "list");
    assert.equal(r.code, 1);
    assert.match(r.err, /NO_MASTER_KEY|NO_REGISTRY/);
  });

  test("registrar --db postgres://… and FIRSTLIGHT_DB: add, list, show, audit; the password never printed", async () => {
    const url = await backend.fresh();
    const password = (await sharedCluster()).password;
    const dir = mkdtempSync(join(tmpdir(), "fl-pg-cli-"));
    const master = ["--master", join(dir, "master.key")];
    const added = await registrar("--db", url, ...master, "add", pub(1), "--label", "line 1");
    assert.equal(added.code, 0, added.err);
    await withEnv("FIRSTLIGHT_DB", url, async () => {
      assert.equal((await registrar(...master, "add", pub(2))).code, 0);
      assert.equal((await registrar(...master, "list")).out.split("\n").length, 2);
    });
    const id = deviceIdOf(Buffer.alloc(32, 1));
    assert.match((await registrar("--db", url, ...master, "show", id)).out, /label\s+line 1/);
    const audit = await registrar("--db", url, ...master, "audit");
    assert.match(audit.out, /2 rows, chain verified/);
    const wrongPw = await registrar("--db", url.replace(`:${password}@`, ":nope@"), ...master, "list");
    assert.equal(wrongPw.code, 1);
    assert.match(wrongPw.err, /refused the password.*\(DB_AUTH\)/);
    assert.ok(!wrongPw.err.includes("nope") && !audit.out.includes(password), "no password in any message");
    assert.deepEqual(readdirSync(dir), ["master.key"], "nothing but the key on disk");
  });

  test("a server that goes away under an open registry: DB_UNREACHABLE, and the CLI exits 1 with it", async () => {
    const own = await startCluster();
    const url = await own.createDatabase("going");
    const r = await openRegistry(url, keys, { create: true });
    try {
      await r.add(pub(5));
      await own.stop();
      await assert.rejects(r.get(deviceIdOf(Buffer.alloc(32, 5))), refused("DB_UNREACHABLE", /PostgreSQL at postgres:\/\/firstlight:\*\*\*@/));
      await assert.rejects(r.bumpEpoch(deviceIdOf(Buffer.alloc(32, 5))), refused("DB_UNREACHABLE", /PostgreSQL/));
    } finally {
      await r.close().catch(() => undefined);
    }
    const cli = await registrar("--db", url, "--master", join(mkdtempSync(join(tmpdir(), "fl-pg-gone-")), "m.key"), "add", pub(6));
    assert.equal(cli.code, 1);
    assert.match(cli.err, /cannot reach PostgreSQL.*\(DB_UNREACHABLE\)/);
  });

  test("the commissioner's state takes its registry from FIRSTLIGHT_DB", async () => {
    const url = await backend.fresh();
    const dir = mkdtempSync(join(tmpdir(), "fl-pg-comm-"));
    await withEnv("FIRSTLIGHT_DB", url, async () => {
      const st = await openCommissionerState(dir);
      try {
        assert.match(st.registry.where, /^postgres:\/\/firstlight:\*\*\*@127\.0\.0\.1:\d+\/registry_/);
        await st.registry.add(pub(9));
      } finally {
        await st.close();
      }
      const again = await openCommissionerState(dir, { create: false });
      assert.equal(await again.registry.count(), 1);
      await again.close();
    });
    assert.ok(!readdirSync(dir).includes("registry.db"), "no SQLite file made");
  });
});
