-- The registry as it was before versioned migrations (registrar/db.ts): devices, the audit chain, meta.
CREATE TABLE devices (
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
CREATE TABLE registry_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  device_id TEXT,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
