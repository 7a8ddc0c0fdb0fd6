/**
 * The device registry's interface: what the registrar and the commissioner ask of it, whichever
 * store holds it (registrar/sqlite-registry.ts, the default file; registrar/postgres-registry.ts,
 * for a fleet). Every method is async because a server round trip is. `openRegistry`
 * (registrar/open-registry.ts) picks the backend from a location. docs/registrar.md has the
 * schema, the migrations and the concurrency guarantees.
 */

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

export interface DeviceInfo {
  label?: string;
  board?: string;
  firmware?: string;
  serial?: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  deviceId: string | null;
  action: string;
  detail: string;
  /** The id of the master key whose audit key tagged this row (registrar/master-key.ts). */
  masterId: string;
  /** The previous row's hash (64 zeros for the first row). */
  prev: string;
  hash: string;
}

/** What `verifyAudit` found. */
export interface AuditCheck {
  /** The first row whose tag or link does not match, or null. */
  firstBad: AuditRow | null;
  /** Rows checked under this registry's current master key. */
  verified: number;
  /** Rows tagged under an earlier master key (before a master rotation): linked, but their tags need that key. */
  earlierMaster: number;
}

/** What an authenticated audit read of a device showed (commissioner/rollback.ts). */
export interface Observation {
  auditSeq: number;
  auditEntry: string;
  storeGeneration: number;
  problem?: string | null;
}

/** The keys a registry is opened with; both come from the master key (registrar/master-key.ts), never stored. */
export interface RegistryKeys {
  /** Keys the audit chain (≥ 32 bytes). */
  auditKey: Uint8Array;
  /** Names the master key (16 hex digits); the registry refuses a master other than its own. */
  masterId: string;
}

export interface Registry {
  /** Where it lives, for messages (a file path, or a postgres:// URL without its password). */
  readonly where: string;
  /** Adds a newly paired device (status active, epoch 0). DUPLICATE when its id or its identity key is registered. */
  add(identityPublicHex: string, info?: DeviceInfo): Promise<DeviceRecord>;
  /** The device, or RegistrarError UNKNOWN_DEVICE. */
  get(id: string): Promise<DeviceRecord>;
  list(): Promise<DeviceRecord[]>;
  /** How many devices are registered. */
  count(): Promise<number>;
  /** Starts an identity rotation: the old key stays valid until `confirmRotation`. */
  beginRotation(id: string): Promise<DeviceRecord>;
  /** Records the device's new identity key and bumps the epoch. */
  confirmRotation(id: string, newIdentityPublicHex: string): Promise<DeviceRecord>;
  /** Bumps the epoch alone (pre-shared-key deployments: the device key is re-derived). */
  bumpEpoch(id: string): Promise<DeviceRecord>;
  setStatus(id: string, status: "revoked" | "decommissioned", reason: string): Promise<DeviceRecord>;
  /** Raises the device's rollback marks, or audits and throws ROLLBACK (docs/flash-format.md §8). */
  observe(id: string, seen: Observation): Promise<DeviceRecord>;
  /** Only active or rotating devices may open sessions. */
  mayOpenSession(id: string): Promise<boolean>;
  /** The audit rows, oldest first; of one device when `deviceId` is given. */
  auditTrail(deviceId?: string): Promise<AuditRow[]>;
  verifyAudit(): Promise<AuditCheck>;
  /**
   * Moves the registry to a new master key: every device that may still get a key (active,
   * rotating) moves to the next epoch, whose key derives from the new master; the audit row
   * that records it is tagged under the old master, every later row under the new one. The
   * registry is then usable only with the new master (this object included).
   */
  rotateMaster(next: RegistryKeys): Promise<{ devices: number }>;
  /** The schema version the store is at (schema_migrations). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
