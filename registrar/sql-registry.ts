/**
 * The registry's rules, once, over either SQL store (registrar/sql-backend.ts): device states and
 * their transitions, the keyed audit chain written in the same transaction as every change, the
 * rollback marks, and the binding to one master key. Each change runs under the store's write
 * lock, so concurrent registrars (processes or machines) see each other's commits in one order;
 * the unique constraints (device id, identity key, audit link) back the checks made here.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { RegistrarError, deviceIdOf } from "./derive.ts";
import { isUniqueViolation, type Sql, type SqlBackend } from "./sql-backend.ts";
import { schemaVersionOf } from "./migrations.ts";
import type { AuditCheck, AuditRow, DeviceInfo, DeviceRecord, DeviceStatus, Observation, Registry, RegistryKeys } from "./registry.ts";

export const GENESIS = "0".repeat(64);
const HEX32 = /^[0-9a-f]{64}$/;
const MAX_EPOCH = 0xffffffff;

/** Each audit row's tag: HMAC-SHA256(auditKey, JSON[prev tag, at, device, action, detail]). Without the key, an edit, insertion or deletion anywhere but the very end breaks the chain. */
export function auditHash(key: Uint8Array, prev: string, at: string, deviceId: string | null, action: string, detail: string): string {
  return createHmac("sha256", key).update(JSON.stringify([prev, at, deviceId, action, detail])).digest("hex");
}

/** A stored tag against the one computed, in constant time (the tags are HMACs: a timing leak would help forge one). */
function sameTag(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, "utf8"), b = Buffer.from(String(stored), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

interface Row {
  id: string; identity_public: string; epoch: number | string; status: DeviceStatus; pending_identity: string | null;
  label: string; board: string; firmware: string; serial: string; created_at: string; updated_at: string;
  audit_seq_high: number | string; audit_entry_high: string; store_generation_high: number | string;
}

interface AuditDbRow { seq: number | string; at: string; device_id: string | null; action: string; detail: string; master_id: string; prev: string; hash: string }

/** PostgreSQL hands BIGINT back as a string; every integer column goes through Number. */
function toRecord(r: Row): DeviceRecord {
  return {
    id: r.id, identityPublic: r.identity_public, epoch: Number(r.epoch), status: r.status, pendingIdentity: r.pending_identity,
    label: r.label, board: r.board, firmware: r.firmware, serial: r.serial, createdAt: r.created_at, updatedAt: r.updated_at,
    auditSeqHigh: Number(r.audit_seq_high), auditEntryHigh: r.audit_entry_high, storeGenerationHigh: Number(r.store_generation_high),
  };
}

function toAuditRow(r: AuditDbRow): AuditRow {
  return { seq: Number(r.seq), at: r.at, deviceId: r.device_id, action: r.action, detail: r.detail, masterId: r.master_id, prev: r.prev, hash: r.hash };
}

function checkKeys(k: RegistryKeys): void {
  if (!(k?.auditKey instanceof Uint8Array) || k.auditKey.length < 32) throw new RegistrarError("BAD_MASTER", "the audit key must be at least 32 bytes");
  if (typeof k.masterId !== "string" || !/^[0-9a-f]{16}$/.test(k.masterId)) throw new RegistrarError("BAD_MASTER", "a master key id is 16 lowercase hex digits");
}

type Audit = (deviceId: string | null, action: string, detail: string) => Promise<void>;

export class SqlRegistry implements Registry {
  private keys: RegistryKeys;

  private constructor(readonly backend: SqlBackend, keys: RegistryKeys, private readonly now: () => string) {
    this.keys = { auditKey: Uint8Array.from(keys.auditKey), masterId: keys.masterId };
  }

  get where(): string {
    return this.backend.where;
  }

  /** Binds a migrated store to the master key (the first open records it; later ones must match it). */
  static async open(backend: SqlBackend, keys: RegistryKeys, now: () => string): Promise<SqlRegistry> {
    checkKeys(keys);
    const r = new SqlRegistry(backend, keys, now);
    try {
      await r.bindMaster();
    } catch (e) {
      await r.close();
      throw e;
    }
    return r;
  }

  private async bindMaster(): Promise<void> {
    const bound = await this.boundMaster(this.backend.read);
    if (bound === this.keys.masterId) return;
    if (bound !== null) throw await this.wrongMaster(this.backend.read, bound);
    await this.backend.write(async (q) => {
      const again = await this.boundMaster(q);
      if (again !== null) {
        if (again !== this.keys.masterId) throw await this.wrongMaster(q, again);
        return;
      }
      // A registry from before master ids: its newest audit row must verify under this key.
      const last = (await q.all<AuditDbRow>("SELECT * FROM registry_audit ORDER BY seq DESC LIMIT 1"))[0];
      if (last && !sameTag(auditHash(this.keys.auditKey, last.prev, last.at, last.device_id, last.action, last.detail), last.hash)) {
        throw new RegistrarError("WRONG_MASTER", `${this.where}: its audit chain was not written under this master key (id ${this.keys.masterId}): check --master or FIRSTLIGHT_MASTER_KEY, and restore the registry's key from your backup`);
      }
      await q.run("INSERT INTO meta (key, value) VALUES ('master_id', ?)", [this.keys.masterId]);
      await q.run("UPDATE registry_audit SET master_id = ? WHERE master_id = ''", [this.keys.masterId]);
    });
  }

  private async boundMaster(q: Sql): Promise<string | null> {
    return (await q.all<{ value: string }>("SELECT value FROM meta WHERE key = 'master_id'"))[0]?.value ?? null;
  }

  private async wrongMaster(q: Sql, bound: string): Promise<RegistrarError> {
    const retired = (await q.all<{ at: string }>("SELECT at FROM registry_audit WHERE action = 'master-rotate' AND detail LIKE ?", [`from master ${this.keys.masterId} %`]))[0];
    const why = retired ? `the key given (id ${this.keys.masterId}) was retired by a master rotation on ${retired.at}` : `the key given has id ${this.keys.masterId}`;
    return new RegistrarError("WRONG_MASTER", `${this.where} belongs to master key ${bound}; ${why}. Without its own master key a registry yields no device key and takes no change: check --master or FIRSTLIGHT_MASTER_KEY (restore the key from your backup)`);
  }

  async close(): Promise<void> {
    this.keys.auditKey.fill(0);
    await this.backend.close();
  }

  async schemaVersion(): Promise<number> {
    return schemaVersionOf(this.backend.read);
  }

  /** A write transaction that first checks the registry is still bound to this master, with the audit appender. */
  private change<T>(fn: (q: Sql, audit: Audit) => Promise<T>): Promise<T> {
    return this.backend.write(async (q) => {
      const bound = await this.boundMaster(q);
      if (bound !== this.keys.masterId) throw await this.wrongMaster(q, bound ?? "(none)");
      const audit: Audit = async (deviceId, action, detail) => {
        const prev = (await q.all<{ hash: string }>("SELECT hash FROM registry_audit ORDER BY seq DESC LIMIT 1"))[0]?.hash ?? GENESIS;
        const at = this.now();
        const hash = auditHash(this.keys.auditKey, prev, at, deviceId, action, detail);
        await q.run("INSERT INTO registry_audit (at, device_id, action, detail, master_id, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
          [at, deviceId, action, detail, this.keys.masterId, prev, hash]);
      };
      return fn(q, audit);
    });
  }

  private async row(q: Sql, id: string): Promise<DeviceRecord> {
    const r = (await q.all<Row>("SELECT * FROM devices WHERE id = ?", [id]))[0];
    if (!r) throw new RegistrarError("UNKNOWN_DEVICE", `no device ${JSON.stringify(id)} in the registry`);
    return toRecord(r);
  }

  private async holderOf(q: Sql, identityHex: string): Promise<string | null> {
    return (await q.all<{ id: string }>("SELECT id FROM devices WHERE identity_public = ?", [identityHex]))[0]?.id ?? null;
  }

  async add(identityPublicHex: string, info: DeviceInfo = {}): Promise<DeviceRecord> {
    if (!HEX32.test(identityPublicHex)) throw new RegistrarError("BAD_KEY", "an identity public key is 64 lowercase hex digits");
    const id = deviceIdOf(Uint8Array.from(Buffer.from(identityPublicHex, "hex")));
    try {
      return await this.change(async (q, audit) => {
        if ((await q.all("SELECT 1 FROM devices WHERE id = ?", [id])).length) throw new RegistrarError("DUPLICATE", `device ${id} is already registered`);
        const holder = await this.holderOf(q, identityPublicHex);
        if (holder !== null) throw new RegistrarError("DUPLICATE", `identity key ${identityPublicHex} is already registered, as device ${holder}`);
        const at = this.now();
        await q.run(
          "INSERT INTO devices (id, identity_public, epoch, status, label, board, firmware, serial, created_at, updated_at) VALUES (?, ?, 0, 'active', ?, ?, ?, ?, ?, ?)",
          [id, identityPublicHex, info.label ?? "", info.board ?? "", info.firmware ?? "", info.serial ?? "", at, at]);
        await audit(id, "add", `identity ${identityPublicHex}`);
        return this.row(q, id);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new RegistrarError("DUPLICATE", `device ${id} or its identity key is already registered (the store's constraint refused a second one)`);
      throw e;
    }
  }

  get(id: string): Promise<DeviceRecord> {
    return this.row(this.backend.read, id);
  }

  async list(): Promise<DeviceRecord[]> {
    return (await this.backend.read.all<Row>("SELECT * FROM devices ORDER BY created_at, id")).map(toRecord);
  }

  async count(): Promise<number> {
    return Number((await this.backend.read.all<{ n: number | string }>("SELECT COUNT(*) AS n FROM devices"))[0].n);
  }

  beginRotation(id: string): Promise<DeviceRecord> {
    return this.change(async (q, audit) => {
      const d = await this.row(q, id);
      if (d.status !== "active") throw new RegistrarError("BAD_STATE", `device ${id} is ${d.status}; only an active device can rotate`);
      await q.run("UPDATE devices SET status = 'rotating', updated_at = ? WHERE id = ?", [this.now(), id]);
      await audit(id, "rotate-begin", `epoch ${d.epoch}`);
      return this.row(q, id);
    });
  }

  async confirmRotation(id: string, newIdentityPublicHex: string): Promise<DeviceRecord> {
    if (!HEX32.test(newIdentityPublicHex)) throw new RegistrarError("BAD_KEY", "an identity public key is 64 lowercase hex digits");
    try {
      return await this.change(async (q, audit) => {
        const d = await this.row(q, id);
        if (d.status !== "rotating") throw new RegistrarError("BAD_STATE", `device ${id} is ${d.status}, not rotating`);
        if (newIdentityPublicHex === d.identityPublic) throw new RegistrarError("BAD_KEY", "the new identity key equals the old one");
        if (d.epoch >= MAX_EPOCH) throw new RegistrarError("BAD_EPOCH", `device ${id} is at the last epoch ${MAX_EPOCH}`);
        const holder = await this.holderOf(q, newIdentityPublicHex);
        if (holder !== null) throw new RegistrarError("DUPLICATE", `identity key ${newIdentityPublicHex} is already registered, as device ${holder}`);
        await q.run("UPDATE devices SET identity_public = ?, pending_identity = NULL, epoch = epoch + 1, status = 'active', updated_at = ? WHERE id = ?",
          [newIdentityPublicHex, this.now(), id]);
        await audit(id, "rotate-confirm", `epoch ${d.epoch + 1} identity ${newIdentityPublicHex}`);
        return this.row(q, id);
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new RegistrarError("DUPLICATE", `identity key ${newIdentityPublicHex} is already registered (the store's constraint refused a second holder)`);
      throw e;
    }
  }

  bumpEpoch(id: string): Promise<DeviceRecord> {
    return this.change(async (q, audit) => {
      const d = await this.row(q, id);
      if (d.status === "revoked" || d.status === "decommissioned") throw new RegistrarError("BAD_STATE", `device ${id} is ${d.status}`);
      if (d.epoch >= MAX_EPOCH) throw new RegistrarError("BAD_EPOCH", `device ${id} is at the last epoch ${MAX_EPOCH}`);
      await q.run("UPDATE devices SET epoch = epoch + 1, updated_at = ? WHERE id = ?", [this.now(), id]);
      await audit(id, "epoch", `epoch ${d.epoch + 1}`);
      return this.row(q, id);
    });
  }

  setStatus(id: string, status: "revoked" | "decommissioned", reason: string): Promise<DeviceRecord> {
    if (status !== "revoked" && status !== "decommissioned") return Promise.reject(new RegistrarError("BAD_STATE", `a status set by hand is revoked or decommissioned, got ${JSON.stringify(status)}`));
    return this.change(async (q, audit) => {
      const d = await this.row(q, id);
      if (d.status === "decommissioned") throw new RegistrarError("BAD_STATE", `device ${id} is already decommissioned`);
      if (d.status === status) throw new RegistrarError("BAD_STATE", `device ${id} is already ${status}`);
      await q.run("UPDATE devices SET status = ?, pending_identity = NULL, updated_at = ? WHERE id = ?", [status, this.now(), id]);
      await audit(id, status === "revoked" ? "revoke" : "decommission", reason);
      return this.row(q, id);
    });
  }

  /**
   * What an authenticated audit read of the device showed (docs/flash-format.md §8): a `problem`
   * the caller found, a lower sequence number or a lower generation means the device's flash was
   * rolled back: the refusal is audited, then thrown as ROLLBACK. Otherwise the marks move up
   * (audited when they move).
   */
  async observe(id: string, seen: Observation): Promise<DeviceRecord> {
    const why = await this.change(async (q, audit): Promise<string | null> => {
      const d = await this.row(q, id);
      let problem: string | null = seen.problem ?? null;
      if (problem === null && seen.auditSeq < d.auditSeqHigh) problem = `audit sequence number ${seen.auditSeq} is below the ${d.auditSeqHigh} seen before`;
      if (problem === null && seen.storeGeneration >= 0 && seen.storeGeneration < d.storeGenerationHigh)
        problem = `store key generation ${seen.storeGeneration} is below the ${d.storeGenerationHigh} seen before`;
      if (problem !== null) {
        await audit(id, "rollback", problem);
        return problem;
      }
      const g = Math.max(d.storeGenerationHigh, seen.storeGeneration);
      if (seen.auditSeq > d.auditSeqHigh || g !== d.storeGenerationHigh) {
        const up = seen.auditSeq > d.auditSeqHigh;
        const a = up ? seen.auditSeq : d.auditSeqHigh, e = up ? seen.auditEntry : d.auditEntryHigh;
        await q.run("UPDATE devices SET audit_seq_high = ?, audit_entry_high = ?, store_generation_high = ?, updated_at = ? WHERE id = ?", [a, e, g, this.now(), id]);
        await audit(id, "high-water", `audit sequence ${a} store generation ${g}`);
      }
      return null;
    });
    if (why !== null) throw new RegistrarError("ROLLBACK", `device ${id}: ${why}: its flash was rolled back (refused)`);
    return this.get(id);
  }

  async mayOpenSession(id: string): Promise<boolean> {
    const d = await this.get(id);
    return d.status === "active" || d.status === "rotating";
  }

  async auditTrail(deviceId?: string): Promise<AuditRow[]> {
    const rows = deviceId === undefined
      ? await this.backend.read.all<AuditDbRow>("SELECT * FROM registry_audit ORDER BY seq")
      : await this.backend.read.all<AuditDbRow>("SELECT * FROM registry_audit WHERE device_id = ? ORDER BY seq", [deviceId]);
    return rows.map(toAuditRow);
  }

  /**
   * Walks the chain: every row must name the row before it (prev), and every row from the newest
   * master rotation to this registry's master on must carry a tag that verifies under the current
   * audit key. Rows before that rotation were tagged under an earlier master: they are linked, and
   * counted, but their tags need that key. Forging the rotation row itself needs the current key.
   */
  async verifyAudit(): Promise<AuditCheck> {
    const rows = await this.auditTrail();
    let from = 0;
    for (let i = rows.length - 1; i >= 0; i--) {
      if (rows[i].action === "master-rotate" && rows[i].masterId === this.keys.masterId) {
        from = i;
        break;
      }
    }
    let prev = GENESIS, verified = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row.prev !== prev) return { firstBad: row, verified, earlierMaster: from };
      if (i >= from) {
        if (!sameTag(auditHash(this.keys.auditKey, prev, row.at, row.deviceId, row.action, row.detail), row.hash)) return { firstBad: row, verified, earlierMaster: from };
        verified++;
      }
      prev = row.hash;
    }
    return { firstBad: null, verified, earlierMaster: from };
  }

  async rotateMaster(next: RegistryKeys): Promise<{ devices: number }> {
    checkKeys(next);
    if (next.masterId === this.keys.masterId) throw new RegistrarError("BAD_MASTER", "the new master key is the current one");
    const devices = await this.change(async (q) => {
      // A retired key may be known to someone else: going back to it would give them every device's next key.
      const retired = (await q.all<{ at: string }>("SELECT at FROM registry_audit WHERE action = 'master-rotate' AND detail LIKE ?", [`from master ${next.masterId} %`]))[0];
      if (retired) throw new RegistrarError("BAD_MASTER", `the new master key (id ${next.masterId}) was retired by a master rotation on ${retired.at}: a retired key is never used again, make a new one`);
      const top = Number((await q.all<{ m: number | string | null }>("SELECT MAX(epoch) AS m FROM devices WHERE status IN ('active', 'rotating')"))[0].m ?? 0);
      if (top >= MAX_EPOCH) throw new RegistrarError("BAD_EPOCH", `a device is at the last epoch ${MAX_EPOCH}: it cannot move to a new master`);
      const n = await q.run("UPDATE devices SET epoch = epoch + 1, updated_at = ? WHERE status IN ('active', 'rotating')", [this.now()]);
      // Tagged under the new key: only its holder can mark where the old master's rows end.
      const prev = (await q.all<{ hash: string }>("SELECT hash FROM registry_audit ORDER BY seq DESC LIMIT 1"))[0]?.hash ?? GENESIS;
      const at = this.now(), detail = `from master ${this.keys.masterId} to master ${next.masterId}; epoch + 1 for ${n} devices`;
      const hash = auditHash(next.auditKey, prev, at, null, "master-rotate", detail);
      await q.run("INSERT INTO registry_audit (at, device_id, action, detail, master_id, prev, hash) VALUES (?, NULL, 'master-rotate', ?, ?, ?, ?)",
        [at, detail, next.masterId, prev, hash]);
      await q.run("UPDATE meta SET value = ? WHERE key = 'master_id'", [next.masterId]);
      return n;
    });
    this.keys.auditKey.fill(0);
    this.keys = { auditKey: Uint8Array.from(next.auditKey), masterId: next.masterId };
    return { devices };
  }
}
