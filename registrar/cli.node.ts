/**
 * The registrar's command line: the device registry (registrar/registry.ts, on SQLite or
 * PostgreSQL) and, for pre-shared-key deployments, the per-device keys (registrar/derive.ts) under
 * one master key.
 *
 *   registrar [--db FILE|postgres://…] [--master FILE] COMMAND [ARGS]
 *
 *   list                                   every device, one line each
 *   show ID                                one device, every field
 *   add PUBLIC_HEX [--label L] [--board B] registers a paired device (the commissioner does this)
 *   rotate ID                              starts an identity rotation (status → rotating)
 *   confirm ID NEW_PUBLIC_HEX              records the rotated identity key (epoch + 1, active)
 *   epoch ID                               bumps the epoch alone (re-derives the device's PSK)
 *   revoke ID [--reason TEXT]              the device may no longer open sessions
 *   decommission ID --device-gone [--reason TEXT]
 *                                          records a device that is lost or destroyed as
 *                                          decommissioned; a device you can reach is decommissioned
 *                                          by `commission session --decommission` (it shreds its
 *                                          credentials, then the registry records it), so without
 *                                          --device-gone this command refuses and names that one
 *   psk ID --out FILE                      writes the device's key for its epoch to FILE (mode 0600)
 *   audit                                  the registry's change log, with the chain verified
 *   rotate-master --new-master FILE        moves the registry to a new master key (FILE: made if
 *                                          absent): every active or rotating device goes to the
 *                                          next epoch, whose key derives from the new master
 *   help | -h | --help                     this text
 *
 * Ids are read by commissioner/user-input.ts (either case). The registry: --db, else $FIRSTLIGHT_DB,
 * else .firstlight/registry.db (DIR/… with FIRSTLIGHT_DIR=DIR, as the commissioner's --dir); a
 * postgres:// URL selects PostgreSQL (docs/registrar.md). The master key: --master FILE, else
 * $FIRSTLIGHT_MASTER_KEY (64 hex digits), else DIR/master.key. Only `add` creates the registry and
 * the key file (0600); every other command on a missing registry says so (a mistyped --db) instead
 * of creating an empty one.
 * Exit codes: 0 done, 1 refused (unknown device, wrong state, bad key, no registry …), 2 usage.
 */
import { closeSync, existsSync, openSync, writeSync, fsyncSync, mkdirSync, unlinkSync } from "node:fs";
import { InputError, readDeviceId } from "../commissioner/user-input.ts";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DeviceRecord, Registry } from "./registry.ts";
import { deriveDeviceKey, RegistrarError } from "./derive.ts";
import { loadMasterKey, loadOrCreateMasterKey, MASTER_ENV, registryKeys } from "./master-key.ts";
import { isFileLocation, openRegistry, registryLocation } from "./open-registry.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

const USAGE = `usage: registrar [--db FILE|postgres://USER@HOST:PORT/DB] [--master FILE] COMMAND [ARGS]
commands: list | show ID | add PUBLIC_HEX [--label L] [--board B] [--firmware F] [--serial S]
          rotate ID | confirm ID NEW_PUBLIC_HEX | epoch ID | revoke ID [--reason T]
          decommission ID --device-gone [--reason T] | psk ID --out FILE | audit
          rotate-master --new-master FILE | help
environment: FIRSTLIGHT_DB (instead of --db), FIRSTLIGHT_MASTER_KEY (64 hex digits, instead of a key file)
a device you can reach is decommissioned by the commissioner, which tells it to shred first:
  npm run commission -- session --device tcp://HOST:PORT --id ID --decommission`;

const OPTIONS = new Set(["--db", "--master", "--label", "--board", "--firmware", "--serial", "--reason", "--out", "--new-master"]);
/** Options without a value. */
const FLAGS = new Set(["--device-gone"]);

function parse(argv: string[]): { opts: Record<string, string>; words: string[] } {
  const opts: Record<string, string> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") return { opts: {}, words: ["help"] };
    if (FLAGS.has(a)) {
      if (a in opts) throw new UsageError(`${a} given twice`);
      opts[a] = "yes";
    } else if (a.startsWith("--")) {
      if (!OPTIONS.has(a)) throw new UsageError(`unknown option ${a}`);
      if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) throw new UsageError(`${a} needs a value`);
      if (a in opts) throw new UsageError(`${a} given twice`);
      opts[a] = argv[++i];
    } else {
      words.push(a);
    }
  }
  return { opts, words };
}

function line(d: DeviceRecord): string {
  return `${d.id}  ${d.status.padEnd(14)} epoch ${String(d.epoch).padStart(3)}  ${d.board || "-"}  ${d.label || ""}`.trimEnd();
}

function details(d: DeviceRecord): string[] {
  return [
    `device        ${d.id}`,
    `status        ${d.status}`,
    `epoch         ${d.epoch}`,
    `identity key  ${d.identityPublic}`,
    ...(d.pendingIdentity ? [`pending key   ${d.pendingIdentity}`] : []),
    `label         ${d.label}`,
    `board         ${d.board}`,
    `firmware      ${d.firmware}`,
    `serial        ${d.serial}`,
    `created       ${d.createdAt}`,
    `updated       ${d.updatedAt}`,
  ];
}

/** Writes `bytes` as hex to a new file readable by its owner only; refuses to overwrite. */
function writeSecretFile(path: string, bytes: Uint8Array): void {
  if (existsSync(path)) throw new RegistrarError("EXISTS", `${path} exists; the registrar does not overwrite key files`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, Buffer.from(bytes).toString("hex") + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Runs one command; returns the exit code. Never throws for bad input. */
export async function runRegistrar(argv: string[], io: CliIo): Promise<number> {
  let registry: Registry | null = null;
  let master: Uint8Array | null = null;
  try {
    const { opts, words } = parse(argv);
    const [cmd, ...args] = words;
    if (!cmd) throw new UsageError("no command");
    if (cmd === "help") {
      io.out(USAGE);
      return 0;
    }
    const arity: Record<string, number> = { list: 0, audit: 0, "rotate-master": 0, show: 1, add: 1, rotate: 1, epoch: 1, revoke: 1, decommission: 1, psk: 1, confirm: 2 };
    if (!(cmd in arity)) throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
    if (args.length !== arity[cmd]) throw new UsageError(`${cmd} takes ${arity[cmd]} argument${arity[cmd] === 1 ? "" : "s"}, got ${args.length}`);
    if (cmd !== "add" && cmd !== "list" && cmd !== "audit" && cmd !== "rotate-master") args[0] = readDeviceId(args[0]);
    if ((cmd === "rotate-master") !== (opts["--new-master"] !== undefined)) throw new UsageError(cmd === "rotate-master" ? "rotate-master needs --new-master FILE" : "--new-master belongs to rotate-master");
    if (cmd === "psk" && !opts["--out"]) throw new UsageError("psk needs --out FILE (the key is never printed)");
    if (opts["--device-gone"] && cmd !== "decommission") throw new UsageError("--device-gone belongs to decommission");
    if (cmd === "decommission" && !opts["--device-gone"])
      throw new RegistrarError("DEVICE_FIRST", `decommission the device itself first: npm run commission -- session --device tcp://HOST:PORT --id ${args[0]} --decommission (it shreds its credentials, then the registry records it); only for a device that is lost or destroyed: registrar decommission ${args[0]} --device-gone`);

    const stateDir = process.env.FIRSTLIGHT_DIR ?? ".firstlight";
    const location = registryLocation(stateDir, opts["--db"]);
    const file = isFileLocation(location);
    const masterPath = resolve(opts["--master"] ?? join(stateDir, "master.key"));
    if (cmd !== "add" && file && !existsSync(location)) throw new RegistrarError("NO_REGISTRY", `no registry at ${location}: nothing was registered there (check --db; pairing or \`add\` creates it)`);
    // A key file is made only for a registry that is new here: never beside an existing one.
    const makeKey = cmd === "add" && !(file && existsSync(location)) && !existsSync(masterPath) && (opts["--master"] !== undefined || process.env[MASTER_ENV] === undefined);
    master = loadMasterKey(masterPath, { create: makeKey, explicitFile: opts["--master"] !== undefined }).key;
    if (file) mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
    try {
      registry = await openRegistry(location, registryKeys(master), { create: cmd === "add" });
    } catch (e) {
      if (makeKey) unlinkSync(masterPath);
      throw e;
    }
    const r = registry;

    switch (cmd) {
      case "list": {
        const all = await r.list();
        if (all.length === 0) io.out("no devices registered");
        for (const d of all) io.out(line(d));
        break;
      }
      case "show":
        for (const l of details(await r.get(args[0]))) io.out(l);
        break;
      case "add": {
        const d = await r.add(args[0].toLowerCase(), { label: opts["--label"], board: opts["--board"], firmware: opts["--firmware"], serial: opts["--serial"] });
        io.out(`added ${line(d)}`);
        break;
      }
      case "rotate":
        io.out(`rotation started: ${line(await r.beginRotation(args[0]))}`);
        io.out("the device keeps its old identity key until it proves the new one over a session");
        break;
      case "confirm":
        io.out(`rotated: ${line(await r.confirmRotation(args[0], args[1].toLowerCase()))}`);
        break;
      case "epoch":
        io.out(`new epoch: ${line(await r.bumpEpoch(args[0]))}`);
        break;
      case "revoke":
        io.out(`revoked: ${line(await r.setStatus(args[0], "revoked", opts["--reason"] ?? ""))}`);
        break;
      case "decommission":
        io.out(`decommissioned (device gone, not told to shred): ${line(await r.setStatus(args[0], "decommissioned", opts["--reason"] || "device gone"))}`);
        break;
      case "psk": {
        const d = await r.get(args[0]);
        if (d.status === "revoked" || d.status === "decommissioned") throw new RegistrarError("BAD_STATE", `device ${d.id} is ${d.status}; it gets no key`);
        const k = deriveDeviceKey(master, d.id, d.epoch);
        try {
          writeSecretFile(resolve(opts["--out"]), k);
        } finally {
          k.fill(0);
        }
        io.out(`wrote the key of device ${d.id}, epoch ${d.epoch}, to ${opts["--out"]} (mode 0600)`);
        break;
      }
      case "audit": {
        const rows = await r.auditTrail();
        for (const a of rows) io.out(`${String(a.seq).padStart(5)}  ${a.at}  ${a.deviceId ?? "-".repeat(16)}  ${a.action.padEnd(14)} ${a.detail}`.trimEnd());
        const check = await r.verifyAudit();
        if (check.firstBad) {
          io.err(`registrar: the audit chain breaks at row ${check.firstBad.seq}: the registry was edited outside the registrar`);
          return 1;
        }
        io.out(`${rows.length} rows, chain verified${check.earlierMaster ? ` (the ${check.earlierMaster} rows before the last master rotation were tagged under an earlier master key: their links are checked, their tags need that key)` : ""}`);
        break;
      }
      case "rotate-master": {
        const newPath = resolve(opts["--new-master"]);
        if (newPath === masterPath) throw new RegistrarError("BAD_MASTER", "--new-master must be another file than the current master key");
        const made = !existsSync(newPath);
        const next = loadOrCreateMasterKey(newPath);
        try {
          const keys = registryKeys(next);
          const { devices } = await r.rotateMaster(keys);
          io.out(`master key rotated to ${keys.masterId}${made ? ` (new key written to ${opts["--new-master"]}, mode 0600)` : ""}: ${devices} devices moved to their next epoch, whose keys derive from the new master`);
          io.out(`from now on the registry opens only with the new key: move ${opts["--new-master"]} over ${masterPath} (or set ${MASTER_ENV}), give each device its new key (registrar psk ID --out FILE), then destroy the old key`);
        } finally {
          next.fill(0);
        }
        break;
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) {
      io.err(`registrar: ${e.message}${e instanceof InputError ? ` (${e.code})` : ""}`);
      io.err(USAGE);
      return 2;
    }
    if (e instanceof RegistrarError) {
      io.err(`registrar: ${e.message} (${e.code})`);
      return 1;
    }
    throw e;
  } finally {
    await registry?.close();
    master?.fill(0);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runRegistrar(process.argv.slice(2), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  }).then((code) => {
    process.exitCode = code;
  });
}
