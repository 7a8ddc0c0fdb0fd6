/**
 * The commissioner's work with a device record beside the protocol: pair and record, open a
 * session with a recorded device (its status checked, its rollback marks checked and raised),
 * rotate its identity, decommission it. One implementation for both front ends: the Node CLI
 * (cli.node.ts, records in the registrar's database) and the web commissioner (web/, records in
 * IndexedDB). Each takes a connected FrameTransport; how it was connected is the front end's business.
 */
import { fromHex, toHex } from "./bytes.ts";
import { deviceIdOf, mayOpenSession, recordsErrorCode, type DeviceRecord, type DeviceRecords } from "./device-records.ts";
import { CommissionerError } from "./errors.ts";
import type { FrameTransport } from "./frame-transport.ts";
import type { KeyPair } from "./noise.ts";
import { pair, setupCodeProblem, type PairOptions, type PairResult } from "./pairing.ts";
import { checkRollback, type Observed } from "./rollback.ts";
import { openSession, type Session } from "./session.ts";

/** Audit event names, docs/audit-format.md §3. */
export const AUDIT_EVENT_NAMES = ["", "BOOT", "ENTROPY_READY", "ENTROPY_FAILED", "KEY_GENERATED", "KEY_DESTROYED", "PAIRING_OK", "PAIRING_FAILED",
  "PAIRING_LOCKED", "SESSION_OPENED", "SESSION_REKEYED", "IDENTITY_ROTATION_BEGIN", "IDENTITY_ROTATED", "STORAGE_KEY_ROTATED",
  "FACTORY_RESET", "DECOMMISSIONED", "STORE_DAMAGE", "ENTROPY_ALARM"];

export function auditEventName(event: number): string {
  return AUDIT_EVENT_NAMES[event] || "event " + event;
}

export interface PairAndRecordOptions {
  code: string;
  identity: KeyPair;
  records: DeviceRecords;
  label?: string;
  stepTimeoutMs?: number;
  onStep?: PairOptions["onStep"];
}

export interface PairAndRecordResult {
  record: DeviceRecord;
  pairing: PairResult;
  /** False when the records already held this identity key (nothing was added). */
  added: boolean;
}

/** Checks the setup code before anything is connected: CommissionerError BAD_CODE. */
export function checkSetupCode(code: string): void {
  const problem = setupCodeProblem(code);
  if (problem) throw new CommissionerError("BAD_CODE", problem);
}

/** Pairs over `t` (closing it) and records the device only after PAIR_DONE confirmed it (docs/protocol.md §2.5). */
export async function pairAndRecord(t: FrameTransport, o: PairAndRecordOptions): Promise<PairAndRecordResult> {
  const pairing = await pair(t, { code: o.code, identity: o.identity, label: o.label, stepTimeoutMs: o.stepTimeoutMs, onStep: o.onStep });
  const hex = toHex(pairing.devicePublicKey);
  const info = pairing.deviceInfo;
  try {
    const record = await o.records.add(hex, { label: o.label, board: info.board, firmware: info.firmware, serial: info.serial });
    return { record, pairing, added: true };
  } catch (e) {
    if (recordsErrorCode(e) !== "DUPLICATE") throw e;
    return { record: await o.records.get(deviceIdOf(pairing.devicePublicKey)), pairing, added: false };
  }
}

/** The record of a device that may open a session, or CommissionerError DEVICE_NOT_ACTIVE (check it before connecting). */
export async function sessionRecord(records: DeviceRecords, id: string): Promise<DeviceRecord> {
  const rec = await records.get(id);
  if (!mayOpenSession(rec)) throw new CommissionerError("DEVICE_NOT_ACTIVE", `device ${rec.id} is ${rec.status}: no sessions`);
  return rec;
}

export interface RecordedSession {
  session: Session;
  record: DeviceRecord;
  /** What the rollback check read (docs/flash-format.md §8). */
  seen: Observed;
  handshakeMs: number;
}

/**
 * Opens a Noise KK session with a recorded device over `t`, then, before anything else, the
 * rollback check: a device whose flash went backwards is refused (DEVICE_ROLLBACK; the session is
 * closed). `onOpen` hears of the handshake before the check runs.
 */
export async function openRecordedSession(
  t: FrameTransport,
  o: { record: DeviceRecord; identity: KeyPair; records: DeviceRecords; timeoutMs?: number; onOpen?: (s: Session, handshakeMs: number) => void },
): Promise<RecordedSession> {
  const t0 = performance.now();
  const session = await openSession(t, {
    identity: o.identity,
    devicePublicKey: hexBytes(o.record.identityPublic),
    handshakeTimeoutMs: o.timeoutMs,
    idleTimeoutMs: o.timeoutMs,
  });
  const handshakeMs = performance.now() - t0;
  o.onOpen?.(session, handshakeMs);
  try {
    const seen = await checkRollback(session, o.records, o.record, o.timeoutMs);
    return { session, record: o.record, seen, handshakeMs };
  } catch (e) {
    session.close();
    throw e;
  }
}

/**
 * ROTATE_IDENTITY then ROTATE_CONFIRM (docs/protocol.md §5); the records take the new key (epoch
 * + 1) after the device's ACK. A crash between the two leaves the records on the old key while
 * the device has the new one (the records keep no pending key to fall back on yet).
 */
export async function rotateRecordedIdentity(
  s: Session,
  records: DeviceRecords,
  id: string,
  o: { timeoutMs?: number; onGenerated?: (publicHex: string) => void } = {},
): Promise<DeviceRecord> {
  if ((await records.get(id)).status === "active") await records.beginRotation(id);
  const next = await s.rotateIdentity(o.timeoutMs);
  o.onGenerated?.(toHex(next));
  await s.confirmRotation(next, o.timeoutMs);
  return await records.confirmRotation(id, toHex(next));
}

/** DECOMMISSION (§5): the device shreds its credentials; on its ACK the records mark it decommissioned. The session ends. */
export async function decommissionRecorded(s: Session, records: DeviceRecords, id: string, timeoutMs?: number): Promise<DeviceRecord> {
  await s.decommission(timeoutMs);
  return await records.setStatus(id, "decommissioned", "DECOMMISSION acknowledged by the device over a session");
}

function hexBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new CommissionerError("BAD_IDENTITY", "a recorded identity key is 64 lowercase hex digits");
  return fromHex(hex);
}
