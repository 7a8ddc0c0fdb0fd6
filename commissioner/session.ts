/**
 * Sessions, the commissioner's side (docs/protocol.md §3): Noise KK from the stored static keys,
 * then DATA/REKEY with strict counters and rekeying by policy.
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { concatBytes, ctEqual, readU64be, u64be, utf8Encode } from "./bytes.ts";
import { endConversation, expectFrame, parseErrorFrame } from "./conversation.ts";
import { CommissionerError } from "./errors.ts";
import { FRAME, frameName } from "./framing.ts";
import { generateKeyPair, HandshakeState, type CipherState, type KeyPair } from "./noise.ts";
import { DEFAULT_REKEY } from "./pairing.ts";
import { TIMEOUTS, type FrameTransport } from "./frame-transport.ts";

export const SESSION_PROTOCOL = "Noise_KK_25519_ChaChaPoly_SHA256";
export const SESSION_PROLOGUE = utf8Encode("firstlight/1 session");

/** Application message types (§5). */
export const APP = { ECHO: 0x01, TEXT: 0x02, ACK: 0x03, AUDIT_READ: 0x10, AUDIT_ENTRIES: 0x11, DECOMMISSION: 0x12, ROTATE_IDENTITY: 0x13, IDENTITY_NEW: 0x14, ROTATE_CONFIRM: 0x15, ROTATE_STORAGE: 0x16 } as const;

/** AUDIT_ENTRIES verdicts (§5). */
export const AUDIT_VERDICT = ["ok", "torn-tail", "broken", "none"] as const;

/** One audit entry as the device sent it (docs/audit-format.md §2); the tag needs the device's audit key. */
export interface AuditRecord {
  seq: number;
  boot: number;
  seconds: number;
  event: number;
  detail: Uint8Array;
  raw: Uint8Array;
}

export interface AuditReport {
  /** The device's verdict on its own chain. */
  verdict: (typeof AUDIT_VERDICT)[number];
  /** The first sequence number that failed on the device, or -1. */
  firstBad: number;
  entries: AuditRecord[];
  /** The highest sequence number seen (keep it: a later trail with a lower one shows erasure, audit-format.md §5), or -1. */
  highestSeq: number;
  /**
   * Entries asked for that the device no longer holds: the first entry returned was `first`, not
   * the `from` asked for (pushed out of a full trail, or erased). Null when nothing is missing.
   */
  gap: { from: number; first: number } | null;
}

/** Plaintext bytes of DATA under one sending key before a REKEY (§3.4), the device's budget too. */
export const REKEY_BYTES = 1 << 20;

export interface SessionOptions {
  identity: KeyPair;
  devicePublicKey: Uint8Array;
  /** Our send policy: REKEY after this many messages (default 1000) … */
  rekeyMessages?: number;
  /** … or after this many seconds, whichever comes first (default 600). */
  rekeySeconds?: number;
  handshakeTimeoutMs?: number;
  idleTimeoutMs?: number;
  random?: (n: number) => Uint8Array;
  /** Clock in ms, for the rekey-seconds policy (tests move it). */
  now?: () => number;
}

export interface AppMessage {
  appType: number;
  body: Uint8Array;
}

/**
 * Runs the KK handshake (§3.1, §3.2) and returns the session. On failure the ERROR frame we owe
 * is sent and the link closed. The device counts the session as open only when our first message
 * (DATA or REKEY) decrypts, and waits 10 s for it (§3.2, §6): send it without delay.
 */
export async function openSession(t: FrameTransport, o: SessionOptions): Promise<Session> {
  if (o.devicePublicKey.length !== 32) throw new CommissionerError("BAD_IDENTITY", "a device public key is 32 bytes");
  const random = o.random ?? randomBytes;
  const hs = new HandshakeState({
    protocolName: SESSION_PROTOCOL,
    initiator: true,
    prologue: SESSION_PROLOGUE,
    s: o.identity,
    rs: o.devicePublicKey,
    e: generateKeyPair(random(32)),
  });
  try {
    await t.send(FRAME.SESSION_HELLO, hs.writeMessage(new Uint8Array(0)));
    const accept = await expectFrame(t, FRAME.SESSION_ACCEPT, o.handshakeTimeoutMs ?? TIMEOUTS.sessionHandshake);
    const payload = hs.readMessage(accept);
    if (payload.length !== 0) throw new CommissionerError("PROTO_BAD_PAYLOAD", "SESSION_ACCEPT carries an empty payload");
    // split() happened inside readMessage and wiped the ephemeral and chaining key (§3.2).
    const { send, receive, handshakeHash } = hs.split();
    return new Session(t, send, receive, handshakeHash, o);
  } catch (e) {
    hs.wipeSecrets();
    await endConversation(t, e);
    throw e;
  }
}

export class Session {
  private sinceRekey = 0;
  private bytesSinceRekey = 0;
  private rekeyedAt: number;
  private receiving = false;
  private ended: CommissionerError | null = null;
  readonly rekeyMessages: number;
  readonly rekeySeconds: number;
  private now: () => number;
  readonly stats = { sent: 0, received: 0, rekeysSent: 0, rekeysReceived: 0 };

  constructor(
    private t: FrameTransport,
    private sendCs: CipherState,
    private recvCs: CipherState,
    readonly handshakeHash: Uint8Array,
    private o: SessionOptions,
  ) {
    this.rekeyMessages = o.rekeyMessages ?? DEFAULT_REKEY.messages;
    this.rekeySeconds = o.rekeySeconds ?? DEFAULT_REKEY.seconds;
    this.now = o.now ?? Date.now;
    this.rekeyedAt = this.now();
  }

  get closed(): boolean {
    return this.ended !== null;
  }

  /** The next counter we will send / expect. */
  get sendCounter(): number {
    return this.sendCs.n;
  }

  get receiveCounter(): number {
    return this.recvCs.n;
  }

  private check(): void {
    if (this.ended) throw this.ended;
  }

  /** Any error ends the session (§3.3): ERROR frame owed, keys wiped, link closed. */
  private async fail(e: unknown): Promise<never> {
    if (!this.ended) {
      this.ended = e instanceof CommissionerError ? e : new CommissionerError("SESSION_FAILED", String(e));
      this.sendCs.wipe();
      this.recvCs.wipe();
      await endConversation(this.t, e);
    }
    throw e;
  }

  private async sendSealed(type: number, plaintext: Uint8Array): Promise<void> {
    const counter = this.sendCs.n;
    const ct = this.sendCs.encryptWithAd(new Uint8Array(0), plaintext);
    await this.t.send(type, concatBytes(u64be(counter), ct));
  }

  private rekeyDue(): boolean {
    return this.sinceRekey >= this.rekeyMessages || this.now() - this.rekeyedAt >= this.rekeySeconds * 1000;
  }

  /** REKEY (§3.4): an empty DATA-layout message, then Rekey() of our sending CipherState. */
  async rekey(): Promise<void> {
    this.check();
    try {
      await this.sendSealed(FRAME.REKEY, new Uint8Array(0));
      this.sendCs.rekey();
      this.sinceRekey = 0;
      this.bytesSinceRekey = 0;
      this.rekeyedAt = this.now();
      this.stats.rekeysSent++;
    } catch (e) {
      await this.fail(e);
    }
  }

  /** Sends one application message (§5), rekeying first when the policy says so. */
  async send(appType: number, body: Uint8Array): Promise<void> {
    this.check();
    if (!Number.isInteger(appType) || appType < 0 || appType > 255) throw new CommissionerError("SESSION_BAD_INPUT", "an application type is one byte");
    if (8 + 1 + body.length + 16 > 1024) throw new CommissionerError("SESSION_BAD_INPUT", "an application body is at most 999 bytes");
    // Before, not after, the DATA that would take this key past its byte budget.
    if (this.rekeyDue() || this.bytesSinceRekey + 1 + body.length > REKEY_BYTES) await this.rekey();
    try {
      await this.sendSealed(FRAME.DATA, concatBytes(Uint8Array.of(appType), body));
      this.sinceRekey++;
      this.bytesSinceRekey += 1 + body.length;
      this.stats.sent++;
    } catch (e) {
      await this.fail(e);
    }
  }

  /** The next application message; REKEY frames from the device are applied on the way. */
  async receive(timeoutMs = this.o.idleTimeoutMs ?? TIMEOUTS.sessionIdle): Promise<AppMessage> {
    this.check();
    if (this.receiving) throw new CommissionerError("SESSION_BUSY", "one receive at a time");
    this.receiving = true;
    try {
      for (;;) {
        const f = await this.t.receive(timeoutMs);
        if (f.type === FRAME.ERROR) throw parseErrorFrame(f.body);
        if (f.type !== FRAME.DATA && f.type !== FRAME.REKEY) throw new CommissionerError("PROTO_UNEXPECTED", frameName(f.type) + " inside a session");
        const counter = readU64be(f.body, 0);
        const expected = this.recvCs.n;
        if (counter < expected) throw new CommissionerError("PROTO_REPLAY", "counter " + counter + " already seen (expected " + expected + ")");
        if (counter > expected) throw new CommissionerError("PROTO_OUT_OF_ORDER", "counter " + counter + " skips ahead (expected " + expected + ")");
        const pt = this.recvCs.decryptWithAd(new Uint8Array(0), f.body.subarray(8));
        if (f.type === FRAME.REKEY) {
          if (pt.length !== 0) throw new CommissionerError("PROTO_BAD_PAYLOAD", "REKEY carries an empty payload");
          this.recvCs.rekey();
          this.stats.rekeysReceived++;
          continue;
        }
        if (pt.length === 0) throw new CommissionerError("PROTO_BAD_PAYLOAD", "DATA without an application type");
        this.stats.received++;
        return { appType: pt[0], body: pt.subarray(1) };
      }
    } catch (e) {
      return await this.fail(e);
    } finally {
      this.receiving = false;
    }
  }

  /** ECHO (§5): sends the bytes and resolves with the device's answer, which must be the same bytes. */
  async echo(bytes: Uint8Array, timeoutMs?: number): Promise<Uint8Array> {
    await this.send(APP.ECHO, bytes);
    const m = await this.receive(timeoutMs);
    if (m.appType !== APP.ECHO) return this.fail(new CommissionerError("SESSION_UNEXPECTED_APP", "expected an ECHO answer, got application type " + m.appType));
    if (!ctEqual(m.body, bytes)) return this.fail(new CommissionerError("SESSION_ECHO_MISMATCH", "the device echoed different bytes"));
    return m.body;
  }

  /**
   * AUDIT_READ (§5): the device's whole trail, page by page from sequence number `from`. The
   * sequence numbers must run consecutively; a gap inside the answer is SESSION_AUDIT_GAP. A first
   * entry after `from` is reported in `gap`: those entries are gone from the device.
   */
  async readAudit(from = 0, timeoutMs?: number): Promise<AuditReport> {
    const asked = from;
    const entries: AuditRecord[] = [];
    let verdict: AuditReport["verdict"] = "ok", firstBad = -1;
    for (let pages = 0; ; pages++) {
      if (pages > 4096) return this.fail(new CommissionerError("SESSION_AUDIT_LOOP", "the device keeps sending audit pages"));
      const req = new Uint8Array(4);
      new DataView(req.buffer).setUint32(0, from);
      await this.send(APP.AUDIT_READ, req);
      const m = await this.receive(timeoutMs);
      if (m.appType !== APP.AUDIT_ENTRIES) return this.fail(new CommissionerError("SESSION_UNEXPECTED_APP", "expected AUDIT_ENTRIES, got application type " + m.appType));
      const b = m.body;
      if (b.length < 7 || b.length !== 7 + 32 * b[6] || b[0] > 3)
        return this.fail(new CommissionerError("PROTO_BAD_PAYLOAD", "a malformed AUDIT_ENTRIES of " + b.length + " bytes"));
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      verdict = AUDIT_VERDICT[b[0]];
      firstBad = dv.getUint32(1) === 0xffffffff ? -1 : dv.getUint32(1);
      const more = b[5] === 1, n = b[6];
      for (let i = 0; i < n; i++) {
        const raw = b.slice(7 + 32 * i, 7 + 32 * (i + 1));
        const r = new DataView(raw.buffer);
        const e: AuditRecord = { seq: r.getUint32(0), boot: r.getUint16(4), seconds: r.getUint32(6), event: raw[10], detail: raw.slice(11, 16), raw };
        const prev = entries.length ? entries[entries.length - 1].seq : -1;
        if (e.seq < from || (prev >= 0 && e.seq !== prev + 1))
          return this.fail(new CommissionerError("SESSION_AUDIT_GAP", "audit entry " + e.seq + " does not follow " + (prev >= 0 ? prev : "the request from " + from)));
        entries.push(e);
      }
      if (!more || n === 0) break;
      from = entries[entries.length - 1].seq + 1;
    }
    const gap = entries.length && entries[0].seq !== asked ? { from: asked, first: entries[0].seq } : null;
    return { verdict, firstBad, entries, highestSeq: entries.length ? entries[entries.length - 1].seq : -1, gap };
  }

  /**
   * DECOMMISSION (§5): the device shreds its credentials and answers ACK; the session ends. After
   * it the device is unpaired and refuses this commissioner (NOT_PAIRED).
   */
  async decommission(timeoutMs?: number): Promise<void> {
    await this.send(APP.DECOMMISSION, new Uint8Array(0));
    const m = await this.receive(timeoutMs);
    if (m.appType !== APP.ACK || m.body.length !== 1 || m.body[0] !== APP.DECOMMISSION)
      return this.fail(new CommissionerError("SESSION_UNEXPECTED_APP", "expected ACK of DECOMMISSION, got application type " + m.appType));
    this.close();
  }

  /** ROTATE_STORAGE (§5): the device re-seals its whole store under a new storage key and answers ACK. */
  async rotateStorage(timeoutMs?: number): Promise<void> {
    await this.send(APP.ROTATE_STORAGE, new Uint8Array(0));
    const m = await this.receive(timeoutMs);
    if (m.appType !== APP.ACK || m.body.length !== 1 || m.body[0] !== APP.ROTATE_STORAGE)
      return this.fail(new CommissionerError("SESSION_UNEXPECTED_APP", "expected ACK of ROTATE_STORAGE, got application type " + m.appType));
  }

  /**
   * ROTATE_IDENTITY (§5): the device generates a new identity key and keeps it beside the old one,
   * which stays its identity until `confirmRotation`. Resolves with the new public key (record it
   * as pending first; a repeated request returns the same key).
   */
  async rotateIdentity(timeoutMs?: number): Promise<Uint8Array> {
    await this.send(APP.ROTATE_IDENTITY, new Uint8Array(0));
    const m = await this.receive(timeoutMs);
    if (m.appType !== APP.IDENTITY_NEW || m.body.length !== 32)
      return this.fail(new CommissionerError("SESSION_UNEXPECTED_APP", "expected IDENTITY_NEW (32 bytes), got application type " + m.appType));
    return m.body.slice();
  }

  /** ROTATE_CONFIRM (§5): the pending key becomes the device's identity and the old one is destroyed; the next session uses `newPublicKey`. */
  async confirmRotation(newPublicKey: Uint8Array, timeoutMs?: number): Promise<void> {
    if (newPublicKey.length !== 32) throw new CommissionerError("SESSION_BAD_INPUT", "an identity public key is 32 bytes");
    await this.send(APP.ROTATE_CONFIRM, newPublicKey);
    const m = await this.receive(timeoutMs);
    if (m.appType !== APP.ACK || m.body.length !== 1 || m.body[0] !== APP.ROTATE_CONFIRM)
      return this.fail(new CommissionerError("SESSION_UNEXPECTED_APP", "expected ACK of ROTATE_CONFIRM, got application type " + m.appType));
  }

  /** Ends the session: keys wiped, link closed. */
  close(): void {
    if (this.ended) return;
    this.ended = new CommissionerError("SESSION_CLOSED", "the session is closed");
    this.sendCs.wipe();
    this.recvCs.wipe();
    this.t.close();
  }
}
