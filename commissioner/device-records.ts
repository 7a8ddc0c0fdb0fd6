/**
 * What the commissioner keeps about each device it paired, seen through one small async
 * interface, so the same pairing and session code records devices in the registrar's database
 * (Node: registry-records.node.ts) or in the browser's IndexedDB (web/storage/). The fields and
 * the status rules are the registrar's (registrar/registry.ts); record-rules.ts holds them for stores
 * other than the registrar's.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "./bytes.ts";

/** The registrar's own record and status types (registrar/registry.ts: types only, no store code). */
export type { DeviceRecord, DeviceStatus } from "../registrar/registry.ts";
import type { DeviceRecord } from "../registrar/registry.ts";

export interface DeviceInfoFields {
  label?: string;
  board?: string;
  firmware?: string;
  serial?: string;
}

/** What an authenticated audit read showed (rollback.ts); `problem` is a rollback the caller found. */
export interface Observation {
  auditSeq: number;
  auditEntry: string;
  storeGeneration: number;
  problem?: string | null;
}

/**
 * A device registry as the commissioner uses it. Failures reject with an error carrying `code`:
 * DUPLICATE (add of a known key), UNKNOWN_DEVICE, BAD_KEY, BAD_STATE (a transition the status
 * does not allow), ROLLBACK (observe refused the device's marks).
 */
export interface DeviceRecords {
  /** Records a newly paired device: status active, epoch 0. */
  add(identityPublicHex: string, info?: DeviceInfoFields): Promise<DeviceRecord>;
  get(id: string): Promise<DeviceRecord>;
  list(): Promise<DeviceRecord[]>;
  beginRotation(id: string): Promise<DeviceRecord>;
  /** The device's new identity key, proven over an authenticated session; epoch + 1. */
  confirmRotation(id: string, newIdentityPublicHex: string): Promise<DeviceRecord>;
  setStatus(id: string, status: "revoked" | "decommissioned", reason: string): Promise<DeviceRecord>;
  /** Checks and raises the rollback marks (docs/flash-format.md §8). */
  observe(id: string, seen: Observation): Promise<DeviceRecord>;
}

export class RecordsError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "RecordsError";
  }
}

/** Only an active or rotating device gets sessions. */
export function mayOpenSession(rec: DeviceRecord): boolean {
  return rec.status === "active" || rec.status === "rotating";
}

/** The device id of an identity public key (the registrar's rule, registrar/derive.ts). */
export function deviceIdOf(identityPublicKey: Uint8Array): string {
  if (identityPublicKey.length !== 32) throw new RecordsError("BAD_KEY", "an identity public key is 32 bytes");
  return toHex(sha256(identityPublicKey).subarray(0, 8));
}

/** The error code of a records failure, whichever store threw it (RecordsError or RegistrarError). */
export function recordsErrorCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === "string" ? c : undefined;
}
