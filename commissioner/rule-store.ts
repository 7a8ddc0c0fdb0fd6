/**
 * A DeviceRecords over any small key-value backend (IndexedDB in the browser, a Map in the tests),
 * with the registrar's status rules (record-rules.ts). Each change reads its record, writes it and
 * appends its history event in one backend transaction.
 */
import * as rules from "./record-rules.ts";
import { RecordsError, type DeviceInfoFields, type DeviceRecord, type DeviceRecords, type Observation } from "./device-records.ts";

/** One history row: what changed a record, when (the registrar's audit rows, without its HMAC chain). */
export interface HistoryRow extends rules.HistoryEvent {
  at: string;
  deviceId: string;
}

export interface RecordBackend {
  all(): Promise<DeviceRecord[]>;
  read(id: string): Promise<DeviceRecord | undefined>;
  /**
   * Atomically: reads `id` and every record, hands them to `change` (synchronous; when it throws,
   * nothing is written and update rejects with its error), writes the record it returns and appends
   * its event (when not null). Every record: an identity key is held by one record only.
   */
  update(id: string, at: string, change: (current: DeviceRecord | undefined, all: DeviceRecord[]) => rules.Change): Promise<DeviceRecord>;
  /** The history rows of one device, oldest first. */
  history(id: string): Promise<HistoryRow[]>;
}

export class RuleStore implements DeviceRecords {
  constructor(private backend: RecordBackend, private now: () => string = () => new Date().toISOString()) {}

  async add(identityPublicHex: string, info: DeviceInfoFields = {}): Promise<DeviceRecord> {
    const id = rules.idOfHex(identityPublicHex), at = this.now();
    return this.backend.update(id, at, (cur, all) => rules.newRecord(identityPublicHex, info, at, cur, all));
  }

  async get(id: string): Promise<DeviceRecord> {
    return rules.exists(id, await this.backend.read(id));
  }

  async list(): Promise<DeviceRecord[]> {
    const all = await this.backend.all();
    return all.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  }

  history(id: string): Promise<HistoryRow[]> {
    return this.backend.history(id);
  }

  async beginRotation(id: string): Promise<DeviceRecord> {
    const at = this.now();
    return this.backend.update(id, at, (cur) => rules.beginRotation(rules.exists(id, cur), at));
  }

  async confirmRotation(id: string, newIdentityPublicHex: string): Promise<DeviceRecord> {
    const at = this.now();
    return this.backend.update(id, at, (cur, all) => rules.confirmRotation(rules.exists(id, cur), newIdentityPublicHex, at, all));
  }

  async setStatus(id: string, status: "revoked" | "decommissioned", reason: string): Promise<DeviceRecord> {
    const at = this.now();
    return this.backend.update(id, at, (cur) => rules.setStatus(rules.exists(id, cur), status, reason, at));
  }

  async observe(id: string, seen: Observation): Promise<DeviceRecord> {
    const at = this.now();
    let refused: string | null = null;
    const rec = await this.backend.update(id, at, (cur) => {
      const r = rules.observe(rules.exists(id, cur), seen, at);
      refused = r.refused;
      return r;
    });
    if (refused !== null) throw new RecordsError("ROLLBACK", refused);
    return rec;
  }
}

/** A backend in memory: the tests' store, and the shape web/storage/idb-records.ts follows. */
export function memoryBackend(): RecordBackend {
  const map = new Map<string, DeviceRecord>();
  const rows: HistoryRow[] = [];
  const copy = (r: DeviceRecord) => ({ ...r });
  return {
    all: async () => [...map.values()].map(copy),
    read: async (id) => (map.has(id) ? copy(map.get(id)!) : undefined),
    update: async (id, at, change) => {
      const cur = map.get(id);
      const c = change(cur ? copy(cur) : undefined, [...map.values()].map(copy));
      map.set(id, copy(c.record));
      if (c.event) rows.push({ at, deviceId: id, ...c.event });
      return copy(c.record);
    },
    history: async (id) => rows.filter((r) => r.deviceId === id).map((r) => ({ ...r })),
  };
}
