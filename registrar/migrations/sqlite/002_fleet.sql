-- Many writers, one chain: each audit row names the row before it (a second row after the same one,
-- a fork, violates the unique index) and the master key that tagged it; an identity key belongs to
-- one device only; per-device audit reads use an index.
ALTER TABLE registry_audit ADD COLUMN prev TEXT NOT NULL DEFAULT '';
ALTER TABLE registry_audit ADD COLUMN master_id TEXT NOT NULL DEFAULT '';
UPDATE registry_audit SET prev = COALESCE(
  (SELECT p.hash FROM registry_audit p WHERE p.seq < registry_audit.seq ORDER BY p.seq DESC LIMIT 1),
  '0000000000000000000000000000000000000000000000000000000000000000');
CREATE UNIQUE INDEX registry_audit_prev ON registry_audit (prev);
CREATE INDEX registry_audit_device ON registry_audit (device_id, seq);
CREATE UNIQUE INDEX devices_identity ON devices (identity_public);
