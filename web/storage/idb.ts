/**
 * The web commissioner's IndexedDB database, "firstlight-commissioner" (docs/web-commissioner.md
 * lists every store and field): `devices` (the device records, key `id`), `history` (what changed
 * each record, auto-increment key, index `deviceId`) and `keys` (this commissioner's identity, key
 * "identity").
 */
export const DB_NAME = "firstlight-commissioner";
export const DB_VERSION = 1;

export function openDatabase(idb: IDBFactory, name = DB_NAME): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = idb.open(name, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("devices")) db.createObjectStore("devices", { keyPath: "id" });
      if (!db.objectStoreNames.contains("history")) db.createObjectStore("history", { autoIncrement: true }).createIndex("deviceId", "deviceId");
      if (!db.objectStoreNames.contains("keys")) db.createObjectStore("keys");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error("cannot open IndexedDB " + name + ": " + (req.error?.message ?? "refused") + " (a private window or a browser setting may forbid it)"));
    req.onblocked = () => reject(new Error("IndexedDB " + name + " is held open by an older page: close the other tabs of the commissioner"));
  });
}

/** One request as a promise. */
export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}
