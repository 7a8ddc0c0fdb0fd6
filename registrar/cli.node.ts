/**
 * The registrar's command line: the device registry (registrar/db.ts) and, for pre-shared-key
 * deployments, the per-device keys (registrar/derive.ts) under one master key file.
 *
 *   registrar [--db FILE] [--master FILE] COMMAND [ARGS]
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
 *   help | -h | --help                     this text
 *
 * Ids are read by commissioner/user-input.ts (either case). Defaults: --db .firstlight/registry.db,
 * --master .firstlight/master.key (DIR/… with FIRSTLIGHT_DIR=DIR, as the commissioner's --dir). Only `add` creates them (the master key 0600); every other
 * command on a missing registry says so (a mistyped --db) instead of creating an empty one.
 * Exit codes: 0 done, 1 refused (unknown device, wrong state, bad key, no registry …), 2 usage.
 */
import { closeSync, existsSync, openSync, writeSync, fsyncSync, mkdirSync } from "node:fs";
import { InputError, readDeviceId } from "../commissioner/user-input.ts";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Registry, type DeviceRecord } from "./db.ts";
import { deriveDeviceKey, RegistrarError } from "./derive.ts";
import { loadOrCreateMasterKey, registryAuditKey } from "./master-key.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

const USAGE = `usage: registrar [--db FILE] [--master FILE] COMMAND [ARGS]
commands: list | show ID | add PUBLIC_HEX [--label L] [--board B] [--firmware F] [--serial S]
          rotate ID | confirm ID NEW_PUBLIC_HEX | epoch ID | revoke ID [--reason T]
          decommission ID --device-gone [--reason T] | psk ID --out FILE | audit | help
a device you can reach is decommissioned by the commissioner, which tells it to shred first:
  npm run commission -- session --device tcp://HOST:PORT --id ID --decommission`;

const OPTIONS = new Set(["--db", "--master", "--label", "--board", "--firmware", "--serial", "--reason", "--out"]);
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
export function runRegistrar(argv: string[], io: CliIo): number {
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
    const arity: Record<string, number> = { list: 0, audit: 0, show: 1, add: 1, rotate: 1, epoch: 1, revoke: 1, decommission: 1, psk: 1, confirm: 2 };
    if (!(cmd in arity)) throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
    if (args.length !== arity[cmd]) throw new UsageError(`${cmd} takes ${arity[cmd]} argument${arity[cmd] === 1 ? "" : "s"}, got ${args.length}`);
    if (cmd !== "add" && cmd !== "list" && cmd !== "audit") args[0] = readDeviceId(args[0]);
    if (cmd === "psk" && !opts["--out"]) throw new UsageError("psk needs --out FILE (the key is never printed)");
    if (opts["--device-gone"] && cmd !== "decommission") throw new UsageError("--device-gone belongs to decommission");
    if (cmd === "decommission" && !opts["--device-gone"])
      throw new RegistrarError("DEVICE_FIRST", `decommission the device itself first: npm run commission -- session --device tcp://HOST:PORT --id ${args[0]} --decommission (it shreds its credentials, then the registry records it); only for a device that is lost or destroyed: registrar decommission ${args[0]} --device-gone`);

    const stateDir = process.env.FIRSTLIGHT_DIR ?? ".firstlight";
    const dbPath = resolve(opts["--db"] ?? join(stateDir, "registry.db"));
    const masterPath = resolve(opts["--master"] ?? join(stateDir, "master.key"));
    if (cmd !== "add") {
      if (!existsSync(dbPath)) throw new RegistrarError("NO_REGISTRY", `no registry at ${dbPath}: nothing was registered there (check --db; pairing or \`add\` creates it)`);
      if (!existsSync(masterPath)) throw new RegistrarError("NO_MASTER_KEY", `no master key at ${masterPath} for the registry ${dbPath} (check --master; restore it from your backup: a new one would not match)`);
    }
    master = loadOrCreateMasterKey(masterPath);
    mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
    registry = new Registry(dbPath, { auditKey: registryAuditKey(master) });
    const r = registry;

    switch (cmd) {
      case "list": {
        const all = r.list();
        if (all.length === 0) io.out("no devices registered");
        for (const d of all) io.out(line(d));
        break;
      }
      case "show":
        for (const l of details(r.get(args[0]))) io.out(l);
        break;
      case "add": {
        const d = r.add(args[0].toLowerCase(), { label: opts["--label"], board: opts["--board"], firmware: opts["--firmware"], serial: opts["--serial"] });
        io.out(`added ${line(d)}`);
        break;
      }
      case "rotate":
        io.out(`rotation started: ${line(r.beginRotation(args[0]))}`);
        io.out("the device keeps its old identity key until it proves the new one over a session");
        break;
      case "confirm":
        io.out(`rotated: ${line(r.confirmRotation(args[0], args[1].toLowerCase()))}`);
        break;
      case "epoch":
        io.out(`new epoch: ${line(r.bumpEpoch(args[0]))}`);
        break;
      case "revoke":
        io.out(`revoked: ${line(r.setStatus(args[0], "revoked", opts["--reason"] ?? ""))}`);
        break;
      case "decommission":
        io.out(`decommissioned (device gone, not told to shred): ${line(r.setStatus(args[0], "decommissioned", opts["--reason"] || "device gone"))}`);
        break;
      case "psk": {
        const d = r.get(args[0]);
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
        const rows = r.auditTrail();
        for (const a of rows) io.out(`${String(a.seq).padStart(5)}  ${a.at}  ${a.deviceId ?? "-".repeat(16)}  ${a.action.padEnd(14)} ${a.detail}`.trimEnd());
        const bad = r.verifyAudit();
        if (bad) {
          io.err(`registrar: the audit chain breaks at row ${bad.seq}: the registry was edited outside the registrar`);
          return 1;
        }
        io.out(`${rows.length} rows, chain verified`);
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
    registry?.close();
    master?.fill(0);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = runRegistrar(process.argv.slice(2), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  });
}
