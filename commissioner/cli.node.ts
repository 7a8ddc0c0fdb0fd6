/**
 * The commissioner's command line.
 *
 *   commission --code CODE --device tcp://HOST:PORT [--label NAME] [--dir DIR] [--timeout SECONDS]
 *   commission --payload FL:… --device tcp://HOST:PORT [...]
 *       pairs with a device whose commissioning window is open (docs/protocol.md §2) and records
 *       its identity public key in the registry (registrar/registry.ts) only after PAIR_DONE confirmed it
 *   commission session --device tcp://HOST:PORT --id DEVICE_ID [--echo TEXT]… [--text TEXT]… [--audit] [--rotate] [--decommission] [--dir DIR]
 *       opens an operational session (Noise KK, §3) with a registered device and exchanges messages
 *   commission list [--dir DIR]
 *   commission help | -h | --help
 *
 * Ids and codes are read by commissioner/user-input.ts (ids in either case; codes with spaces or
 * dashes, on the flag as at the prompt; --code and the prompt also take the label's QR payload,
 * `FL:…`, docs/setup-payload.md, and --payload takes only that). Only pairing creates DIR and its keys: `list` and
 * `session` on a DIR that holds no registry say so (a mistyped --dir) instead of creating one.
 * Decommissioning is `session --decommission`: the device shreds its credentials, then the
 * registry records it (the registrar's own `decommission` is for devices that are gone).
 *
 * Without --code on a terminal the setup code is asked for. State lives in DIR (default
 * $FIRSTLIGHT_DIR, else .firstlight/, shared with the registrar CLI): registry.db, master.key (the registry's audit key
 * comes from it) and commissioner.key (this commissioner's X25519 identity; both 0600). As for the
 * registrar, $FIRSTLIGHT_DB names another registry (a postgres:// URL: many commissioners, one
 * registry) and $FIRSTLIGHT_MASTER_KEY gives the master key instead of master.key (docs/registrar.md).
 * Exit codes: 0 done, 1 failed (the device refused, the link failed, a timeout), 2 usage or bad input.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { randomBytes } from "@noble/hashes/utils.js";
import type { DeviceRecord, Registry } from "../registrar/registry.ts";
import { RegistrarError } from "../registrar/derive.ts";
import { loadMasterKey, MASTER_ENV, registryKeys, syncDirectory } from "../registrar/master-key.ts";
import { isFileLocation, openRegistry, registryLocation } from "../registrar/open-registry.ts";
import { toHex, utf8Decode, utf8Encode, wipe } from "./bytes.ts";
import { CommissionerError, DeviceError } from "./errors.ts";
import { generateKeyPair, type KeyPair } from "./noise.ts";
import type { PairResult } from "./pairing.ts";
import { InputError, readDeviceId, readSetupInput, readSetupPayload } from "./user-input.ts";
import { APP, type AuditReport } from "./session.ts";
import { auditEventName, checkSetupCode, decommissionRecorded, openRecordedSession, pairAndRecord, rotateRecordedIdentity, sessionRecord } from "./flows.ts";
import { registryRecords } from "./registry-records.node.ts";
import { connectTcp, parseDeviceUrl, TIMEOUTS } from "./transport.ts";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Asks a question on a terminal; absent when there is none. */
  ask?(question: string): Promise<string>;
}

class UsageError extends Error {}

const USAGE = `usage: commission --code CODE --device tcp://HOST:PORT [--label NAME] [--dir DIR] [--timeout SECONDS]
       commission --payload FL:… --device tcp://HOST:PORT [--label NAME] [--dir DIR] [--timeout SECONDS]
           CODE: the 8 digits on the device's label (2020-2021 as printed), or its QR code's text (FL:…)
       commission session --device tcp://HOST:PORT --id DEVICE_ID [--echo TEXT]... [--text TEXT]... [--audit] [--rotate] [--rotate-storage] [--decommission] [--dir DIR]
       commission list [--dir DIR]
       commission help`;

const SINGLE = new Set(["--code", "--payload", "--device", "--label", "--dir", "--timeout", "--id"]);
const REPEATED = new Set(["--echo", "--text"]);
/** Options without a value (session only). */
const FLAGS = new Set(["--audit", "--rotate", "--rotate-storage", "--decommission"]);

interface Parsed {
  cmd: "pair" | "session" | "list" | "help";
  opts: Record<string, string>;
  messages: { kind: "echo" | "text"; text: string }[];
}

function parse(argv: string[]): Parsed {
  const opts: Record<string, string> = {};
  const messages: Parsed["messages"] = [];
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-h" || a === "--help") return { cmd: "help", opts, messages };
    if (FLAGS.has(a)) {
      if (a in opts) throw new UsageError(`${a} given twice`);
      opts[a] = "yes";
    } else if (a.startsWith("--")) {
      if (!SINGLE.has(a) && !REPEATED.has(a)) throw new UsageError(`unknown option ${a}`);
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      const v = argv[++i];
      if (REPEATED.has(a)) messages.push({ kind: a === "--echo" ? "echo" : "text", text: v });
      else if (a in opts) throw new UsageError(`${a} given twice`);
      else opts[a] = v;
    } else words.push(a);
  }
  if (words[0] === "help") return { cmd: "help", opts, messages };
  const cmd = words.length === 0 ? "pair" : words[0];
  if (cmd !== "pair" && cmd !== "session" && cmd !== "list") throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  if (words.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(words[1])}`);
  return { cmd, opts, messages };
}

// ---------------------------------------------------------------------------------------------
// State: the registry and this commissioner's identity

export interface CommissionerState {
  dir: string;
  identity: KeyPair;
  registry: Registry;
  /** True when this run created the identity key. */
  createdIdentity: boolean;
  close(): Promise<void>;
}

/** Loads (or creates, 0600, atomically) the commissioner's X25519 identity key. */
export function loadOrCreateIdentity(path: string): { identity: KeyPair; created: boolean } {
  if (existsSync(path)) {
    const mode = statSync(path).mode;
    if (mode & 0o077) throw new CommissionerError("KEY_PERMISSIONS", `${path} is readable by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`);
    const text = readFileSync(path, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new CommissionerError("BAD_IDENTITY", `${path} does not hold a 32-byte hex X25519 private key`);
    const sk = Uint8Array.from(Buffer.from(text, "hex"));
    const identity = generateKeyPair(sk);
    wipe(sk);
    return { identity, created: false };
  }
  const sk = randomBytes(32);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, toHex(sk) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dirname(path)); // on disk before any device is paired with it
  const identity = generateKeyPair(sk);
  wipe(sk);
  return { identity, created: true };
}

/** The state a read-only command needs is there (it never creates it); throws CommissionerError NO_STATE. */
export function requireCommissionerState(dir: string): void {
  const d = resolve(dir);
  const elsewhere = [...(isFileLocation(registryLocation(d)) ? [] : ["registry.db"]), ...(process.env[MASTER_ENV] !== undefined ? ["master.key"] : [])];
  const missing = ["registry.db", "master.key", "commissioner.key"].filter((f) => !elsewhere.includes(f) && !existsSync(join(d, f)));
  if (missing.length === 3 - elsewhere.length) throw new CommissionerError("NO_STATE", `${d} holds no commissioner state: nothing was paired with --dir ${dir} (check --dir; pairing creates it)`);
  if (missing.length) throw new CommissionerError("NO_STATE", `${d} lacks ${missing.join(" and ")}: restore it from your backup (a new one would not match the registry)`);
}

export async function openCommissionerState(dir: string, o: { create?: boolean } = {}): Promise<CommissionerState> {
  const d = resolve(dir);
  if (o.create === false) requireCommissionerState(dir);
  mkdirSync(d, { recursive: true, mode: 0o700 });
  const { identity, created } = loadOrCreateIdentity(join(d, "commissioner.key"));
  const master = loadMasterKey(join(d, "master.key"), { create: o.create !== false }).key;
  let registry: Registry;
  try {
    registry = await openRegistry(registryLocation(d), registryKeys(master), { create: o.create !== false });
  } catch (e) {
    wipe(identity.privateKey);
    throw e;
  } finally {
    wipe(master);
  }
  return {
    dir: d,
    identity,
    registry,
    createdIdentity: created,
    close: async () => {
      await registry.close();
      wipe(identity.privateKey);
    },
  };
}

const short = (hex: string) => hex.slice(0, 16) + "…";

// ---------------------------------------------------------------------------------------------
// Pairing

export interface CommissionOptions {
  code: string;
  device: string;
  label?: string;
  state: CommissionerState;
  /** Per-step limit (default 60 s, docs/protocol.md §6). */
  stepTimeoutMs?: number;
  connectTimeoutMs?: number;
  out: (line: string) => void;
}

export interface CommissionResult {
  record: DeviceRecord;
  pairing: PairResult;
  /** False when the registry already held this identity key (nothing was added). */
  added: boolean;
  ms: { connect: number; pairing: number };
}

/** Connects, pairs, and records the device (commissioner/flows.ts); progress goes to `out`. Throws CommissionerError. */
export async function commission(o: CommissionOptions): Promise<CommissionResult> {
  checkSetupCode(o.code);
  parseDeviceUrl(o.device);
  const t0 = performance.now();
  o.out(`connecting to ${o.device} …`);
  const t = await connectTcp(o.device, o.connectTimeoutMs ?? TIMEOUTS.connect);
  const t1 = performance.now();
  o.out(`connected (${Math.round(t1 - t0)} ms)`);
  let t2 = t1;
  const r = await pairAndRecord(t, {
    code: o.code,
    identity: o.state.identity,
    records: registryRecords(o.state.registry),
    label: o.label,
    stepTimeoutMs: o.stepTimeoutMs,
    onStep: (step, detail) => {
      if (step === "hello") o.out("→ PAIR_HELLO     CPace share and Noise ephemeral (the setup code itself never leaves this machine)");
      else if (step === "response") {
        const i = detail?.deviceInfo ?? {};
        o.out(`← PAIR_RESPONSE  device ${[i.board && "board " + i.board, i.firmware && "firmware " + i.firmware, i.serial && "serial " + i.serial].filter(Boolean).join(", ") || "(no info)"}`);
        o.out(`                 identity key ${short(toHex(detail!.devicePublicKey!))} (encrypted under the CPace-keyed handshake)`);
      } else if (step === "confirm") o.out(`→ PAIR_CONFIRM   our static key and the configuration${o.label ? ` (label ${JSON.stringify(o.label)})` : ""}`);
      else if (step === "done") {
        t2 = performance.now();
        o.out("← PAIR_DONE      key confirmation: the device proved it knew the same setup code");
      }
    },
  });
  return { record: r.record, pairing: r.pairing, added: r.added, ms: { connect: t1 - t0, pairing: t2 - t1 } };
}

// ---------------------------------------------------------------------------------------------
// Sessions

export interface SessionRunOptions {
  device: string;
  id: string;
  state: CommissionerState;
  messages: { kind: "echo" | "text"; text: string }[];
  timeoutMs?: number;
  out: (line: string) => void;
  /** After the messages: read the device's audit trail (AUDIT_READ, §5) and print it. */
  audit?: boolean;
  /** After the audit: ROTATE_IDENTITY + ROTATE_CONFIRM (§5); on the device's ACK the registry takes the new key (epoch + 1). */
  rotate?: boolean;
  /** After the identity rotation: ROTATE_STORAGE (§5), the device re-seals its store under a new key. */
  rotateStorage?: boolean;
  /** Last: DECOMMISSION (§5); on the device's ACK the registry records the device as decommissioned. */
  decommission?: boolean;
}

export interface SessionRunResult {
  handshakeMs: number;
  exchanged: { sent: string; received?: string; ms: number }[];
  stats: { sent: number; received: number; rekeysSent: number; rekeysReceived: number };
  audit?: AuditReport;
  decommissioned?: boolean;
  /** The device's new identity public key after --rotate. */
  rotatedTo?: string;
}

/** Opens a KK session with a registered device, sends each message (ECHO answers are checked), closes. */
export async function runSession(o: SessionRunOptions): Promise<SessionRunResult> {
  const records = registryRecords(o.state.registry);
  const rec = await sessionRecord(records, o.id);
  o.out(`connecting to ${o.device} …`);
  const t = await connectTcp(o.device);
  const { session: s, seen, handshakeMs } = await openRecordedSession(t, {
    record: rec,
    identity: o.state.identity,
    records,
    timeoutMs: o.timeoutMs,
    onOpen: (s, ms) => o.out(`session open with ${rec.id} (Noise KK, ${Math.round(ms)} ms): handshake hash ${short(toHex(s.handshakeHash))}`),
  });
  const exchanged: SessionRunResult["exchanged"] = [];
  let audit: AuditReport | undefined, rotatedTo: string | undefined;
  try {
    // Before anything else (openRecordedSession): a device whose flash went backwards is refused (docs/flash-format.md §8).
    if (seen.auditSeq >= 0) o.out(`rollback check: audit sequence ${seen.auditSeq}${seen.storeGeneration >= 0 ? ", store key generation " + seen.storeGeneration : ""}, not below the registry's marks`);
    for (const m of o.messages) {
      const t1 = performance.now();
      if (m.kind === "echo") {
        const back = await s.echo(utf8Encode(m.text), o.timeoutMs);
        const ms = performance.now() - t1;
        exchanged.push({ sent: m.text, received: utf8Decode(back), ms });
        o.out(`→ ECHO ${JSON.stringify(m.text)}   ← ${JSON.stringify(utf8Decode(back))}   (${Math.round(ms)} ms, counters ${s.sendCounter}/${s.receiveCounter})`);
      } else {
        await s.send(APP.TEXT, utf8Encode(m.text));
        exchanged.push({ sent: m.text, ms: performance.now() - t1 });
        o.out(`→ TEXT ${JSON.stringify(m.text)}`);
      }
    }
    if (o.audit) {
      audit = await s.readAudit(0, o.timeoutMs);
      o.out(`audit trail: ${audit.entries.length} entries, device verdict ${audit.verdict}${audit.firstBad >= 0 ? " (first bad entry " + audit.firstBad + ")" : ""}, highest sequence number ${audit.highestSeq}`);
      if (audit.gap) o.out(`audit GAP: entries ${audit.gap.from} … ${audit.gap.first - 1} are not on the device any more (pushed out of a full trail, or erased)`);
      for (const e of audit.entries)
        o.out(`  #${e.seq}  boot ${e.boot}  +${e.seconds} s  ${auditEventName(e.event)}  ${toHex(e.detail)}`);
    }
    if (o.rotate) {
      const r = await rotateRecordedIdentity(s, records, rec.id, {
        timeoutMs: o.timeoutMs,
        onGenerated: (hex) => o.out(`identity rotation: the device generated ${hex}; confirming`),
      });
      rotatedTo = r.identityPublic;
      o.out(`identity rotated: ${rec.id} now has identity ${r.identityPublic} (epoch ${r.epoch}); the old key is destroyed on the device`);
    }
    if (o.rotateStorage) {
      await s.rotateStorage(o.timeoutMs);
      o.out("storage key rotated: the device re-sealed every stored record under a new key");
    }
    if (o.decommission) {
      const stats = { ...s.stats };
      await decommissionRecorded(s, records, rec.id, o.timeoutMs);
      o.out(`decommissioned: the device shredded its credentials; ${rec.id} is recorded as decommissioned`);
      return { handshakeMs, exchanged, stats: { ...stats, sent: stats.sent + 1, received: stats.received + 1 }, audit, decommissioned: true, rotatedTo };
    }
  } finally {
    s.close();
  }
  return { handshakeMs, exchanged, stats: { ...s.stats }, audit, rotatedTo };
}

// ---------------------------------------------------------------------------------------------
// The command

function describe(e: unknown, device?: string): string {
  if (e instanceof CommissionerError && e.code === "PROTO_BAD_VERSION")
    return `${device ?? "the other end"} is not a firstlight device (wrong port?): ${e.message} (${e.code})`;
  if (e instanceof DeviceError) return `the device answered ${e.code}: ${e.message}`;
  if (e instanceof CommissionerError || e instanceof RegistrarError) return `${e.message} (${e.code})`;
  return String((e as Error)?.message ?? e);
}

/** Runs one command; returns the exit code. Never throws. */
export async function runCommissioner(argv: string[], io: CliIo): Promise<number> {
  let state: CommissionerState | null = null;
  let device: string | undefined, sessionId: string | undefined, cmd = "";
  try {
    const p = parse(argv);
    cmd = p.cmd;
    if (p.cmd === "help") {
      io.out(USAGE);
      return 0;
    }
    const dir = p.opts["--dir"] ?? process.env.FIRSTLIGHT_DIR ?? ".firstlight";
    device = p.opts["--device"];
    sessionId = p.opts["--id"];
    let timeoutMs: number | undefined;
    if (p.opts["--timeout"] !== undefined) {
      const s = Number(p.opts["--timeout"]);
      if (!(s > 0 && s <= 3600)) throw new UsageError(`--timeout is seconds, 0 < s ≤ 3600, got ${JSON.stringify(p.opts["--timeout"])}`);
      timeoutMs = s * 1000;
    }
    if (p.cmd !== "list") {
      if (!p.opts["--device"]) throw new UsageError("--device tcp://HOST:PORT is needed");
      parseDeviceUrl(p.opts["--device"]);
    }
    if (p.cmd === "pair") {
      if (p.opts["--code"] !== undefined && p.opts["--payload"] !== undefined) throw new UsageError("give --code or --payload, not both");
      let typed = p.opts["--code"];
      if (typed === undefined && p.opts["--payload"] === undefined) {
        if (!io.ask) throw new UsageError("--code is needed (the 8 digits on the device's label, or its QR code's text FL:…)");
        typed = await io.ask("setup code (the 8 digits on the device's label, or its QR code's text FL:…): ");
      }
      const label = typed === undefined ? readSetupPayload(p.opts["--payload"]) : readSetupInput(typed);
      const code = label.code;
      if (p.messages.length || p.opts["--audit"] || p.opts["--rotate"] || p.opts["--rotate-storage"] || p.opts["--decommission"]) throw new UsageError("--echo, --text, --audit, --rotate, --rotate-storage and --decommission belong to the session command");
      state = await openCommissionerState(dir);
      if (state.createdIdentity) io.out(`created this commissioner's identity key in ${join(state.dir, "commissioner.key")}`);
      io.out(`commissioner ${short(toHex(state.identity.publicKey))}  registry ${state.registry.where}`);
      if (label.discriminator !== undefined) io.out(`setup payload: version 1, discriminator ${label.discriminator} (the code stays on this machine)`);
      io.out("make sure the device's commissioning window is open (press its button: the LED blinks)");
      const r = await commission({ code, device: p.opts["--device"], label: p.opts["--label"], state, stepTimeoutMs: timeoutMs, connectTimeoutMs: timeoutMs, out: io.out });
      io.out(`paired in ${Math.round(r.ms.pairing)} ms`);
      io.out(`device ${r.record.id}  identity public key ${r.record.identityPublic}`);
      if (r.added) io.out(`recorded in ${state.registry.where} (status ${r.record.status}, epoch ${r.record.epoch})`);
      else if (await state.registry.mayOpenSession(r.record.id)) io.out(`already in the registry as ${r.record.id} (${r.record.status}); nothing added`);
      else {
        io.err(`commission: failed: the device paired, but the registry holds its identity key as ${r.record.id}, which is ${r.record.status}: it gets no sessions, and its commissioning window is now closed (UNUSABLE_IDENTITY)`);
        io.err("hint: factory-reset the device (hold its button 10 s) so it makes a new identity key, then pair it again");
        return 1;
      }
      return 0;
    }
    if (p.cmd === "session") {
      if (p.opts["--id"] === undefined) throw new UsageError("--id DEVICE_ID (16 hex digits, as `commission list` shows) is needed");
      const id = readDeviceId(p.opts["--id"], "--id");
      state = await openCommissionerState(dir, { create: false });
      const audit = p.opts["--audit"] === "yes", decommission = p.opts["--decommission"] === "yes", rotate = p.opts["--rotate"] === "yes", rotateStorage = p.opts["--rotate-storage"] === "yes";
      const msgs = p.messages.length || audit || decommission || rotate || rotateStorage ? p.messages : [{ kind: "echo" as const, text: "hello from the commissioner" }];
      const r = await runSession({ device: p.opts["--device"], id, state, messages: msgs, timeoutMs, out: io.out, audit, decommission, rotate, rotateStorage });
      io.out(`session closed: ${r.stats.sent} sent, ${r.stats.received} received`);
      return 0;
    }
    state = await openCommissionerState(dir, { create: false });
    const all = await state.registry.list();
    if (all.length === 0) io.out("no devices registered");
    for (const d of all) io.out(`${d.id}  ${d.status.padEnd(10)} ${d.board || "-"}  ${d.label}  ${d.identityPublic}`.trimEnd());
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || (e instanceof CommissionerError && (e.code === "LINK_BAD_ADDRESS" || e.code === "BAD_CODE"))) {
      io.err(`commission: ${e.message}${e instanceof InputError ? ` (${e.code})` : ""}`);
      io.err(USAGE);
      return 2;
    }
    if (e instanceof DeviceError && e.code === "AUTH_FAILED" && cmd === "session") {
      io.err(`commission: failed: the device at ${device} refused a session as ${sessionId} (AUTH_FAILED): it is not device ${sessionId}, or it no longer holds this commissioner's key`);
      io.err("hint: check that --id and --device name the same device (`npm run commission -- list` shows the ids); a device that was factory-reset must be paired again");
      return 1;
    }
    io.err(`commission: failed: ${describe(e, device)}`);
    if (e instanceof DeviceError && e.code === "WINDOW_CLOSED") io.err("hint: press the device's button, then run the command again within its window");
    if (e instanceof DeviceError && e.code === "PAIRING_FAILED") io.err("hint: check the setup code on the device's label; each wrong try is counted");
    if (e instanceof CommissionerError && e.code === "DEVICE_NOT_ACTIVE") io.err("hint: `npm run registrar -- show ID` tells why; a revoked or decommissioned device gets no sessions");
    return 1;
  } finally {
    await state?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const tty = process.stdin.isTTY;
  const rl = tty ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  runCommissioner(process.argv.slice(2), {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    ask: rl ? (q) => new Promise((r) => rl.question(q, r)) : undefined,
  }).then((code) => {
    rl?.close();
    process.exitCode = code;
  });
}
