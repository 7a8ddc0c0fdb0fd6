/**
 * The device records in IndexedDB: a RecordBackend (commissioner/rule-store.ts) whose update reads
 * the records, applies the rule and writes the record and its history row in one readwrite
 * transaction; a rule that throws aborts it, so nothing is half written.
 */
import type { DeviceRecord } from "../../commissioner/device-records.ts";
import type { HistoryRow, RecordBackend } from "../../commissioner/rule-store.ts";
import { request } from "./idb.ts";

export function idbBackend(db: IDBDatabase): RecordBackend {
  return {
    all: () => request(db.transaction("devices").objectStore("devices").getAll() as IDBRequest<DeviceRecord[]>),
    read: async (id) => (await request(db.transaction("devices").objectStore("devices").get(id))) as DeviceRecord | undefined,
    history: async (id) => (await request(db.transaction("history").objectStore("history").index("deviceId").getAll(id))) as HistoryRow[],
    update: (id, at, change) =>
      new Promise((resolve, reject) => {
        const tx = db.transaction(["devices", "history"], "readwrite");
        let failure: unknown = null, written: DeviceRecord | null = null;
        // Every record, in this transaction: the rules check that no other record holds a key.
        const get = tx.objectStore("devices").getAll();
        get.onsuccess = () => {
          try {
            const all = get.result as DeviceRecord[];
            const c = change(all.find((d) => d.id === id), all);
            tx.objectStore("devices").put(c.record);
            if (c.event) tx.objectStore("history").add({ at, deviceId: id, ...c.event } satisfies HistoryRow);
            written = c.record;
          } catch (e) {
            failure = e;
            tx.abort();
          }
        };
        tx.oncomplete = () => resolve(written!);
        tx.onabort = () => reject(failure ?? tx.error ?? new Error("the IndexedDB transaction was aborted"));
      }),
  };
}
