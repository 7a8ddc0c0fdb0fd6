/**
 * The registrar's status rules (registrar/registry.ts) as pure functions on one record, for device
 * stores that are not the registrar's database: the browser's IndexedDB (web/storage/) and the
 * in-memory store of the tests. Each takes the record as it is and returns it as it becomes with
 * the history event that says why (the registrar's audit actions), or throws RecordsError; the store
 * writes both in the same transaction as it read the record.
 */
import { deviceIdOf, RecordsError, type DeviceInfoFields, type DeviceRecord, type Observation } from "./device-records.ts";
import { fromHex } from "./bytes.ts";

export interface HistoryEvent {
  action: "add" | "rotate-begin" | "rotate-confirm" | "revoke" | "decommission" | "rollback" | "high-water";
  detail: string;
}

/** A record as it becomes, and the event to keep (null: nothing changed, nothing to keep). */
export interface Change {
  record: DeviceRecord;
  event: HistoryEvent | null;
}

const HEX32 = /^[0-9a-f]{64}$/;

function checkKey(hex: string): void {
  if (!HEX32.test(hex)) throw new RecordsError("BAD_KEY", "an identity public key is 64 lowercase hex digits");
}

export function exists(id: string, d: DeviceRecord | undefined): DeviceRecord {
  if (!d) throw new RecordsError("UNKNOWN_DEVICE", `no device ${JSON.stringify(id)} in the registry`);
  return d;
}

export function idOfHex(identityPublicHex: string): string {
  checkKey(identityPublicHex);
  return deviceIdOf(fromHex(identityPublicHex));
}

/** The registrar's one-holder rule: refuses a key that another record already holds (DUPLICATE). */
function checkUnheld(identityPublicHex: string, all: DeviceRecord[]): void {
  for (const d of all) {
    if (d.identityPublic === identityPublicHex) throw new RecordsError("DUPLICATE", `identity key ${identityPublicHex} is already registered, as device ${d.id}`);
  }
}

export function newRecord(identityPublicHex: string, info: DeviceInfoFields, at: string, existing: DeviceRecord | undefined, all: DeviceRecord[]): Change {
  const id = idOfHex(identityPublicHex);
  if (existing) throw new RecordsError("DUPLICATE", `device ${id} is already registered`);
  checkUnheld(identityPublicHex, all);
  const record: DeviceRecord = {
    id, identityPublic: identityPublicHex, epoch: 0, status: "active", pendingIdentity: null,
    label: info.label ?? "", board: info.board ?? "", firmware: info.firmware ?? "", serial: info.serial ?? "",
    createdAt: at, updatedAt: at, auditSeqHigh: -1, auditEntryHigh: "", storeGenerationHigh: -1,
  };
  return { record, event: { action: "add", detail: `identity ${identityPublicHex}` } };
}

export function beginRotation(d: DeviceRecord, at: string): Change {
  if (d.status !== "active") throw new RecordsError("BAD_STATE", `device ${d.id} is ${d.status}; only an active device can rotate`);
  return { record: { ...d, status: "rotating", updatedAt: at }, event: { action: "rotate-begin", detail: `epoch ${d.epoch}` } };
}

export function confirmRotation(d: DeviceRecord, newIdentityPublicHex: string, at: string, all: DeviceRecord[]): Change {
  checkKey(newIdentityPublicHex);
  if (d.status !== "rotating") throw new RecordsError("BAD_STATE", `device ${d.id} is ${d.status}, not rotating`);
  if (newIdentityPublicHex === d.identityPublic) throw new RecordsError("BAD_KEY", "the new identity key equals the old one");
  // The device names its new key without proving it holds it: another record's key would send this
  // record's sessions, rotations and decommission to that other device.
  checkUnheld(newIdentityPublicHex, all);
  return {
    record: { ...d, identityPublic: newIdentityPublicHex, pendingIdentity: null, epoch: d.epoch + 1, status: "active", updatedAt: at },
    event: { action: "rotate-confirm", detail: `epoch ${d.epoch + 1} identity ${newIdentityPublicHex}` },
  };
}

export function setStatus(d: DeviceRecord, status: "revoked" | "decommissioned", reason: string, at: string): Change {
  if (d.status === "decommissioned") throw new RecordsError("BAD_STATE", `device ${d.id} is already decommissioned`);
  if (d.status === status) throw new RecordsError("BAD_STATE", `device ${d.id} is already ${status}`);
  return { record: { ...d, status, pendingIdentity: null, updatedAt: at }, event: { action: status === "revoked" ? "revoke" : "decommission", detail: reason } };
}

/**
 * The rollback marks (docs/flash-format.md §8): a problem the caller found, a lower audit
 * sequence number or a lower store generation is a rollback (the record is kept as it was, the
 * refusal kept in the history and returned); otherwise the marks move up.
 */
export function observe(d: DeviceRecord, seen: Observation, at: string): Change & { refused: string | null } {
  let problem = seen.problem ?? null;
  if (problem === null && seen.auditSeq < d.auditSeqHigh) problem = `audit sequence number ${seen.auditSeq} is below the ${d.auditSeqHigh} seen before`;
  if (problem === null && seen.storeGeneration >= 0 && seen.storeGeneration < d.storeGenerationHigh)
    problem = `store key generation ${seen.storeGeneration} is below the ${d.storeGenerationHigh} seen before`;
  if (problem !== null) return { record: d, event: { action: "rollback", detail: problem }, refused: `device ${d.id}: ${problem}: its flash was rolled back (refused)` };
  const g = Math.max(d.storeGenerationHigh, seen.storeGeneration);
  const up = seen.auditSeq > d.auditSeqHigh;
  if (!up && g === d.storeGenerationHigh) return { record: d, event: null, refused: null };
  const a = up ? seen.auditSeq : d.auditSeqHigh;
  return {
    record: { ...d, auditSeqHigh: a, auditEntryHigh: up ? seen.auditEntry : d.auditEntryHigh, storeGenerationHigh: g, updatedAt: at },
    event: { action: "high-water", detail: `audit sequence ${a} store generation ${g}` },
    refused: null,
  };
}
