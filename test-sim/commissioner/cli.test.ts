/** commissioner/cli.node.ts: this commissioner's identity key file. */
import { mock, test } from "node:test";
import assert from "node:assert/strict";
import fs, { mkdtempSync, statSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateIdentity } from "../../commissioner/cli.node.ts";

test("the commissioner's identity key file is 0600 and durable before a device is paired with it: the directory is fsynced after the rename", () => {
  // Devices paired with this key refuse any other: a key whose name a power cut took back from
  // the page cache would leave every one of them needing a factory reset.
  const d = mkdtempSync(join(tmpdir(), "fl-commissioner-key-"));
  const p = join(d, "commissioner.key");
  const events: string[] = [];
  const fdPaths = new Map<number, string>();
  const { openSync, renameSync, fsyncSync } = fs;
  const mocks = [
    mock.method(fs, "openSync", (...a: Parameters<typeof openSync>) => {
      const fd = openSync(...a);
      fdPaths.set(fd, String(a[0]));
      return fd;
    }),
    mock.method(fs, "renameSync", (...a: Parameters<typeof renameSync>) => {
      events.push("rename " + String(a[1]));
      return renameSync(...a);
    }),
    mock.method(fs, "fsyncSync", (...a: Parameters<typeof fsyncSync>) => {
      events.push("fsync " + fdPaths.get(a[0]));
      return fsyncSync(...a);
    }),
  ];
  syncBuiltinESMExports();
  let created: boolean;
  try {
    created = loadOrCreateIdentity(p).created;
  } finally {
    for (const m of mocks) m.mock.restore();
    syncBuiltinESMExports();
  }
  assert.equal(created, true);
  assert.equal(statSync(p).mode & 0o777, 0o600);
  const renamed = events.indexOf("rename " + p);
  assert.ok(renamed >= 0, events.join(", "));
  assert.ok(events.slice(0, renamed).some((e) => e.startsWith("fsync " + p + ".tmp-")), "the key's bytes are synced before the rename: " + events.join(", "));
  assert.ok(events.slice(renamed + 1).includes("fsync " + d), "the directory is synced after the rename: " + events.join(", "));
  assert.equal(loadOrCreateIdentity(p).created, false, "reloaded, not made again");
});
