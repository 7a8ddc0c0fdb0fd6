/**
 * A device for the commissioner's tests: the responder of docs/protocol.md §2 and §3, driven by the
 * commissioner's own Noise and CPace (so these tests check the commissioner's protocol logic; interop
 * with the firmware is checked by running the firmware against the same commissioner).
 */
import { concatBytes, readU64be, u64be, utf8Encode, wipe } from "../../commissioner/bytes.ts";
import { endConversation, expectFrame, sendError } from "../../commissioner/conversation.ts";
import { cpaceRespond } from "../../commissioner/cpace.ts";
import { CommissionerError, ERROR_CODE } from "../../commissioner/errors.ts";
import { FRAME } from "../../commissioner/framing.ts";
import { CipherState, generateKeyPair, HandshakeState, type KeyPair } from "../../commissioner/noise.ts";
import { derivePairingPsk, pairingPrologue, PAIRING_CI, PAIRING_PROTOCOL } from "../../commissioner/pairing.ts";
import { SESSION_PROLOGUE, SESSION_PROTOCOL, APP } from "../../commissioner/session.ts";
import { decodeConfiguration, encodeDeviceInfo, encodeStatus, type Configuration, type DeviceInfo } from "../../commissioner/tlv.ts";
import type { FrameTransport } from "../../commissioner/transport.ts";

export const MAX_FAILED = 20;

export interface TestDeviceOptions {
  code: string;
  identity?: KeyPair;
  info?: DeviceInfo;
  windowOpen?: boolean;
  failedAttempts?: number;
  /** Replace the CPace share we send (a low-order point, for the abort test). */
  ybOverride?: Uint8Array;
  /** PAIR_DONE status other than 0. */
  doneStatus?: number;
}

export class TestDevice {
  identity: KeyPair;
  code: string;
  info: DeviceInfo;
  windowOpen: boolean;
  failedAttempts: number;
  commissionerKey: Uint8Array | null = null;
  config: Configuration | null = null;
  lastError: string | null = null;

  constructor(private o: TestDeviceOptions) {
    this.identity = o.identity ?? generateKeyPair();
    this.code = o.code;
    this.info = o.info ?? { firmware: "0.1.0", board: "sim", serial: "SIM-0001" };
    this.windowOpen = o.windowOpen ?? true;
    this.failedAttempts = o.failedAttempts ?? 0;
  }

  /** One pairing attempt as the device (§2.2 – §2.5). Returns true when paired. Never throws. */
  async pair(t: FrameTransport, timeoutMs = 5000): Promise<boolean> {
    let hs: HandshakeState | null = null;
    try {
      const hello = await expectFrame(t, FRAME.PAIR_HELLO, timeoutMs);
      if (!this.windowOpen) return await this.refuse(t, ERROR_CODE.WINDOW_CLOSED, "");
      if (this.failedAttempts >= MAX_FAILED) return await this.refuse(t, ERROR_CODE.LOCKED, "");
      this.failedAttempts++; // §2.2: counted before any other work
      const sid = hello.subarray(0, 16);
      const Ya = hello.subarray(16, 48);
      const { Yb, isk } = cpaceRespond({ prs: utf8Encode(this.code), ci: PAIRING_CI, sid }, Ya);
      const psk = derivePairingPsk(isk);
      wipe(isk);
      hs = new HandshakeState({ protocolName: PAIRING_PROTOCOL, initiator: false, prologue: pairingPrologue(sid, Ya), s: this.identity, psks: [psk] });
      hs.readMessage(hello.subarray(48));
      const msg2 = hs.writeMessage(encodeDeviceInfo(this.info));
      await t.send(FRAME.PAIR_RESPONSE, concatBytes(this.o.ybOverride ?? Yb, msg2));
      const confirm = await expectFrame(t, FRAME.PAIR_CONFIRM, timeoutMs);
      let config: Configuration;
      try {
        config = decodeConfiguration(hs.readMessage(confirm));
      } catch {
        return await this.refuse(t, ERROR_CODE.PAIRING_FAILED, String(MAX_FAILED - this.failedAttempts));
      }
      this.commissionerKey = hs.rs!.slice();
      this.config = config;
      this.failedAttempts = 0;
      this.windowOpen = false;
      const { send } = hs.split();
      await t.send(FRAME.PAIR_DONE, concatBytes(u64be(send.n), send.encryptWithAd(new Uint8Array(0), encodeStatus(this.o.doneStatus ?? 0))));
      t.close();
      return true;
    } catch (e) {
      this.lastError = (e as CommissionerError).code ?? String(e);
      hs?.wipeSecrets();
      await endConversation(t, e);
      return false;
    }
  }

  private async refuse(t: FrameTransport, code: number, detail: string): Promise<false> {
    this.lastError = "refused " + code;
    await sendError(t, code, detail);
    t.close();
    return false;
  }

  /** The KK responder (§3.1, §3.2): returns the transport cipher states, or null after an ERROR. */
  async acceptSession(t: FrameTransport, timeoutMs = 5000): Promise<{ send: CipherState; receive: CipherState } | null> {
    try {
      const hello = await expectFrame(t, FRAME.SESSION_HELLO, timeoutMs);
      if (!this.commissionerKey) return await this.refuse(t, ERROR_CODE.NOT_PAIRED, "").then(() => null);
      const hs = new HandshakeState({ protocolName: SESSION_PROTOCOL, initiator: false, prologue: SESSION_PROLOGUE, s: this.identity, rs: this.commissionerKey });
      try {
        hs.readMessage(hello);
      } catch {
        return await this.refuse(t, ERROR_CODE.AUTH_FAILED, "").then(() => null);
      }
      await t.send(FRAME.SESSION_ACCEPT, hs.writeMessage(new Uint8Array(0)));
      const { send, receive } = hs.split();
      return { send, receive };
    } catch (e) {
      this.lastError = (e as CommissionerError).code ?? String(e);
      await endConversation(t, e);
      return null;
    }
  }

  /**
   * Serves a session: answers ECHO, applies REKEY, checks counters, and itself rekeys after
   * `rekeyEvery` messages. Resolves with the error code that ended it ("closed" for a clean close).
   */
  async serve(t: FrameTransport, opts: { rekeyEvery?: number; timeoutMs?: number } = {}): Promise<string> {
    const cs = await this.acceptSession(t);
    if (!cs) return this.lastError ?? "refused";
    let sent = 0;
    try {
      for (;;) {
        const f = await t.receive(opts.timeoutMs ?? 5000);
        if (f.type === FRAME.ERROR) return "peer error " + f.body[0];
        if (f.type !== FRAME.DATA && f.type !== FRAME.REKEY) throw new CommissionerError("PROTO_UNEXPECTED", "frame " + f.type);
        const counter = readU64be(f.body, 0);
        if (counter < cs.receive.n) throw new CommissionerError("PROTO_REPLAY", "replay");
        if (counter > cs.receive.n) throw new CommissionerError("PROTO_OUT_OF_ORDER", "gap");
        const pt = cs.receive.decryptWithAd(new Uint8Array(0), f.body.subarray(8));
        if (f.type === FRAME.REKEY) {
          cs.receive.rekey();
          continue;
        }
        if (pt[0] === APP.AUDIT_READ) {
          // A device with no audit pages (its area is under 6 pages): verdict 3, no entries.
          await sealed(t, cs.send, FRAME.DATA, new Uint8Array([APP.AUDIT_ENTRIES, 3, 0xff, 0xff, 0xff, 0xff, 0, 0]));
          continue;
        }
        if (pt[0] === APP.ECHO) {
          if (opts.rekeyEvery && sent > 0 && sent % opts.rekeyEvery === 0) {
            await sealed(t, cs.send, FRAME.REKEY, new Uint8Array(0));
            cs.send.rekey();
          }
          await sealed(t, cs.send, FRAME.DATA, pt);
          sent++;
        }
      }
    } catch (e) {
      const code = (e as CommissionerError).code ?? String(e);
      await endConversation(t, e);
      return code === "LINK_CLOSED" ? "closed" : code;
    }
  }
}

export async function sealed(t: FrameTransport, cs: CipherState, type: number, plaintext: Uint8Array, counter?: number): Promise<void> {
  const n = cs.n;
  const ct = cs.encryptWithAd(new Uint8Array(0), plaintext);
  await t.send(type, concatBytes(u64be(counter ?? n), ct));
}
