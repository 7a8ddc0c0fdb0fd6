/**
 * The device registry on SQLite (better-sqlite3): devices, their identity keys, epochs and status,
 * and a hash-chained audit of every registry change. One file, opened by the registrar and the
 * commissioner; every change runs in a transaction together with its audit row.
 */
import Database from "better-sqlite3";
import { createHmac } from "node:crypto";
import { RegistrarError, deviceIdOf } from "./derive.ts";

export type DeviceStatus = "active" | "rotating" | "revoked" | "decommissioned";

export interface DeviceRecord {
  id: string;
  identityPublic: string;
  epoch: number;
  status: DeviceStatus;
  pendingIdentity: string | null;
  label: string;
  board: string;
  firmware: string;
  serial: string;
  createdAt: string;
  updatedAt: string;
  /** The highest audit sequence number an authenticated audit read showed, or -1 (docs/flash-format.md §8). */
  auditSeqHigh: number;
  /** That entry as the device sent it (32 bytes, hex; its tag chains it to every entry before): '' when none. */
  auditEntryHigh: string;
  /** The highest store key generation the device's audit trail showed, or -1. */
  storeGenerationHigh: number;
}

export interface AuditRow {
  seq: number;
  at: string;
  deviceId: string | null;
  action: string;
  detail: string;
  hash: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS devices (
  id TEXT PRIMARY KEY CHECK (length(id) = 16),
  identity_public TEXT NOT NULL CHECK (length(identity_public) = 64),
  epoch INTEGER NOT NULL DEFAULT 0 CHECK (epoch >= 0),
  status TEXT NOT NULL CHECK (status IN ('active', 'rotating', 'revoked', 'decommissioned')),
  pending_identity TEXT CHECK (pending_identity IS NULL OR length(pending_identity) = 64),
  label TEXT NOT NULL DEFAULT '',
  board TEXT NOT NULL DEFAULT '',
  firmware TEXT NOT NULL DEFAULT '',
  serial TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  audit_seq_high INTEGER NOT NULL DEFAULT -1,
  audit_entry_high TEXT NOT NULL DEFAULT '',
  store_generation_high INTEGER NOT NULL DEFAULT -1
);
CREATE TABLE IF NOT EXISTS registry_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  device_id TEXT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const GENESIS = "0".repeat(64);

/** Each audit row's tag: HMAC-SHA256(auditKey, JSON[prev tag, at, device, action, detail]). Without the key, an edit, insertion or deletion anywhere but the very end breaks the chain. */
function auditHash(key: Uint8Array, prev: string, at: string, deviceId: string | null, action: string, detail: string): string {
  return createHmac("sha256", key).update(JSON.stringify([prev, at, deviceId, action, detail])).digest("hex");
}

interface Row {
  id: string; identity_public: string; epoch: number; status: DeviceStatus; pending_identity: string | null;
  label: string; board: string; firmware: string; serial: string; created_at: string; updated_at: string;
  audit_seq_high: number; audit_entry_high: string; store_generation_high: number;
}

/** Columns added after the first schema: a registry file from before gets them with their defaults. */
const ADDED_COLUMNS: [string, string][] = [
  ["audit_seq_high", "INTEGER NOT NULL DEFAULT -1"],
  ["audit_entry_high", "TEXT NOT NULL DEFAULT ''"],
  ["store_generation_high", "INTEGER NOT NULL DEFAULT -1"],
];

function toRecord(r: Row): DeviceRecord {
  return {
    id: r.id, identityPublic: r.identity_public, epoch: r.epoch, status: r.status, pendingIdentity: r.pending_identity,
    label: r.label, board: r.board, firmware: r.firmware, serial: r.serial, createdAt: r.created_at, updatedAt: r.updated_at,
    auditSeqHigh: r.audit_seq_high, auditEntryHigh: r.audit_entry_high, storeGenerationHigh: r.store_generation_high,
  };
}

const HEX32 = /^[0-9a-f]{64}$/;

export class Registry {
  private db: Database.Database;
  private now: () => string;
  private auditKey: Uint8Array;

  /** `auditKey` (≥ 32 bytes) keys the audit chain; the registrar derives it from its master key. */
  constructor(path: string, opts: { auditKey: Uint8Array; now?: () => string }) {
    if (!(opts.auditKey instanceof Uint8Array) || opts.auditKey.length < 32) throw new RegistrarError("BAD_MASTER", "the audit key must be at least 32 bytes");
    this.auditKey = opts.auditKey;
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("foreign_keys = ON");
    this.db.exec(SCHEMA);
    const have = new Set((this.db.prepare("PRAGMA table_info(devices)").all() as { name: string }[]).map((c) => c.name));
    for (const [name, type] of ADDED_COLUMNS) if (!have.has(name)) this.db.exec(`ALTER TABLE devices ADD COLUMN ${name} ${type}`);
    this.now = opts.now ?? (() => new Date().toISOString());
  }

  close(): void {
    this.db.close();
  }

  private audit(deviceId: string | null, action: string, detail: string): void {
    const last = this.db.prepare("SELECT hash FROM registry_audit ORDER BY seq DESC LIMIT 1").get() as { hash: string } | undefined;
    const at = this.now();
    const hash = auditHash(this.auditKey, last?.hash ?? GENESIS, at, deviceId, action, detail);
    this.db.prepare("INSERT INTO registry_audit (at, device_id, action, detail, hash) VALUES (?, ?, ?, ?, ?)").run(at, deviceId, action, detail, hash);
  }

  /** Adds a newly paired device (status active, epoch 0). */
  add(identityPublicHex: string, info: { label?: string; board?: string; firmware?: string; serial?: string } = {}): DeviceRecord {
    if (!HEX32.test(identityPublicHex)) throw new RegistrarError("BAD_KEY", "an identity public key is 64 lowercase hex digits");
    const id = deviceIdOf(Uint8Array.from(Buffer.from(identityPublicHex, "hex")));
    return this.db.transaction(() => {
      if (this.db.prepare("SELECT 1 FROM devices WHERE id = ?").get(id)) {
        throw new RegistrarError("DUPLICATE", `device ${id} is already registered`);
      }
      const at = this.now();
      this.db.prepare(
        "INSERT INTO devices (id, identity_public, epoch, status, label, board, firmware, serial, created_at, updated_at) VALUES (?, ?, 0, 'active', ?, ?, ?, ?, ?, ?)",
      ).run(id, identityPublicHex, info.label ?? "", info.board ?? "", info.firmware ?? "", info.serial ?? "", at, at);
      this.audit(id, "add", `identity ${identityPublicHex}`);
      return this.get(id);
    })();
  }

  /** The device, or RegistrarError UNKNOWN_DEVICE. */
  get(id: string): DeviceRecord {
    const r = this.db.prepare("SELECT * FROM devices WHERE id = ?").get(id) as Row | undefined;
    if (!r) throw new RegistrarError("UNKNOWN_DEVICE", `no device ${JSON.stringify(id)} in the registry`);
    return toRecord(r);
  }

  list(): DeviceRecord[] {
    return (this.db.prepare("SELECT * FROM devices ORDER BY created_at, id").all() as Row[]).map(toRecord);
  }

  /** Starts an identity rotation: the device will generate a new key; the old one stays valid until `confirmRotation`. */
  beginRotation(id: string): DeviceRecord {
    return this.db.transaction(() => {
      const d = this.get(id);
      if (d.status !== "active") throw new RegistrarError("BAD_STATE", `device ${id} is ${d.status}; only an active device can rotate`);
      this.db.prepare("UPDATE devices SET status = 'rotating', updated_at = ? WHERE id = ?").run(this.now(), id);
      this.audit(id, "rotate-begin", `epoch ${d.epoch}`);
      return this.get(id);
    })();
  }

  /** Records the device's new identity key (proven by the device over an authenticated session) and bumps the epoch. */
  confirmRotation(id: string, newIdentityPublicHex: string): DeviceRecord {
    if (!HEX32.test(newIdentityPublicHex)) throw new RegistrarError("BAD_KEY", "an identity public key is 64 lowercase hex digits");
    return this.db.transaction(() => {
      const d = this.get(id);
      if (d.status !== "rotating") throw new RegistrarError("BAD_STATE", `device ${id} is ${d.status}, not rotating`);
      if (newIdentityPublicHex === d.identityPublic) throw new RegistrarError("BAD_KEY", "the new identity key equals the old one");
      this.db.prepare("UPDATE devices SET identity_public = ?, pending_identity = NULL, epoch = epoch + 1, status = 'active', updated_at = ? WHERE id = ?")
        .run(newIdentityPublicHex, this.now(), id);
      this.audit(id, "rotate-confirm", `epoch ${d.epoch + 1} identity ${newIdentityPublicHex}`);
      return this.get(id);
    })();
  }

  /** Bumps the epoch alone (pre-shared-key deployments: the device key is re-derived). */
  bumpEpoch(id: string): DeviceRecord {
    return this.db.transaction(() => {
      const d = this.get(id);
      if (d.status === "revoked" || d.status === "decommissioned") throw new RegistrarError("BAD_STATE", `device ${id} is ${d.status}`);
      this.db.prepare("UPDATE devices SET epoch = epoch + 1, updated_at = ? WHERE id = ?").run(this.now(), id);
      this.audit(id, "epoch", `epoch ${d.epoch + 1}`);
      return this.get(id);
    })();
  }

  setStatus(id: string, status: "revoked" | "decommissioned", reason: string): DeviceRecord {
    return this.db.transaction(() => {
      const d = this.get(id);
      if (d.status === "decommissioned") throw new RegistrarError("BAD_STATE", `device ${id} is already decommissioned`);
      if (d.status === status) throw new RegistrarError("BAD_STATE", `device ${id} is already ${status}`);
      this.db.prepare("UPDATE devices SET status = ?, pending_identity = NULL, updated_at = ? WHERE id = ?").run(status, this.now(), id);
      this.audit(id, status === "revoked" ? "revoke" : "decommission", reason);
      return this.get(id);
    })();
  }

  /**
   * What an authenticated audit read of the device showed (docs/flash-format.md §8): its newest
   * audit entry (sequence number and the entry itself) and its current store key generation (-1:
   * not shown). A `problem` the caller found (the entry at the recorded mark missing or different,
   * a generation going down), a lower sequence number or a lower generation means the device's
   * flash was rolled back: the refusal is audited, then thrown as ROLLBACK. Otherwise the marks
   * move up (audited when they move).
   */
  observe(id: string, seen: { auditSeq: number; auditEntry: string; storeGeneration: number; problem?: string | null }): DeviceRecord {
    const why = this.db.transaction((): string | null => {
      const d = this.get(id);
      let problem: string | null = seen.problem ?? null;
      if (problem === null && seen.auditSeq < d.auditSeqHigh) problem = `audit sequence number ${seen.auditSeq} is below the ${d.auditSeqHigh} seen before`;
      if (problem === null && seen.storeGeneration >= 0 && seen.storeGeneration < d.storeGenerationHigh)
        problem = `store key generation ${seen.storeGeneration} is below the ${d.storeGenerationHigh} seen before`;
      if (problem !== null) {
        this.audit(id, "rollback", problem);
        return problem;
      }
      const g = Math.max(d.storeGenerationHigh, seen.storeGeneration);
      if (seen.auditSeq > d.auditSeqHigh || g !== d.storeGenerationHigh) {
        const a = seen.auditSeq > d.auditSeqHigh ? seen.auditSeq : d.auditSeqHigh, e = seen.auditSeq > d.auditSeqHigh ? seen.auditEntry : d.auditEntryHigh;
        this.db.prepare("UPDATE devices SET audit_seq_high = ?, audit_entry_high = ?, store_generation_high = ?, updated_at = ? WHERE id = ?").run(a, e, g, this.now(), id);
        this.audit(id, "high-water", `audit sequence ${a} store generation ${g}`);
      }
      return null;
    })();
    if (why !== null) throw new RegistrarError("ROLLBACK", `device ${id}: ${why}: its flash was rolled back (refused)`);
    return this.get(id);
  }

  /** May this device open a session? Only active or rotating devices may. */
  mayOpenSession(id: string): boolean {
    const d = this.get(id);
    return d.status === "active" || d.status === "rotating";
  }

  auditTrail(): AuditRow[] {
    return (this.db.prepare("SELECT seq, at, device_id, action, detail, hash FROM registry_audit ORDER BY seq").all() as
      { seq: number; at: string; device_id: string | null; action: string; detail: string; hash: string }[])
      .map((r) => ({ seq: r.seq, at: r.at, deviceId: r.device_id, action: r.action, detail: r.detail, hash: r.hash }));
  }

  /** Recomputes the audit hash chain; returns the first row whose hash does not match, or null. */
  verifyAudit(): AuditRow | null {
    let prev = GENESIS;
    for (const row of this.auditTrail()) {
      if (auditHash(this.auditKey, prev, row.at, row.deviceId, row.action, row.detail) !== row.hash) return row;
      prev = row.hash;
    }
    return null;
  }
}
