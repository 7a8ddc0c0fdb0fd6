/**
 * Pairing, the commissioner's side (docs/protocol.md §2): CPace proves the setup code, Noise
 * XXpsk3 keyed by the CPace result exchanges and authenticates both static keys, PAIR_DONE confirms.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { concatBytes, readU64be, utf8Encode, wipe } from "./bytes.ts";
import { endConversation, expectFrame } from "./conversation.ts";
import { cpaceInitiatorFinish, cpaceShare } from "./cpace.ts";
import { CommissionerError } from "./errors.ts";
import { setupCodeProblem } from "./setup-code.ts";
import { FRAME } from "./framing.ts";
import { generateKeyPair, HandshakeState, type KeyPair } from "./noise.ts";
import { decodeDeviceInfo, decodeStatus, encodeConfiguration, STATUS_PAIRED, type DeviceInfo } from "./tlv.ts";
import { TIMEOUTS, type FrameTransport } from "./frame-transport.ts";

export const PAIRING_PROTOCOL = "Noise_XXpsk3_25519_ChaChaPoly_SHA256";
/** CPace CI and the start of the Noise prologue (§2.1). */
export const PAIRING_CI = utf8Encode("firstlight/1 pairing");
export const PSK_INFO = utf8Encode("firstlight/1 psk");
export const SID_LENGTH = 16;

/** Our send policy when the caller gives none; it is also what we ask the device to use (§2.6). */
export const DEFAULT_REKEY = { messages: 1000, seconds: 600 };

/** Codes refused at manufacturing (§2.1, Matter's rule): all one digit, 12345678, 87654321. */
export { setupCodeProblem };

export type PairingStep = "hello" | "response" | "confirm" | "done";

export interface PairOptions {
  code: string;
  identity: KeyPair;
  label?: string;
  rekeyMessages?: number;
  rekeySeconds?: number;
  /** Randomness for sid, the CPace scalar and the Noise ephemeral (tests fix it); default CSPRNG. */
  random?: (n: number) => Uint8Array;
  /** Per-step limit, default 60 s (§6). */
  stepTimeoutMs?: number;
  /** Progress hook for the CLI. */
  onStep?: (step: PairingStep, detail?: { devicePublicKey?: Uint8Array; deviceInfo?: DeviceInfo }) => void;
}

export interface PairResult {
  devicePublicKey: Uint8Array;
  deviceInfo: DeviceInfo;
  /** Noise handshake hash: a channel binding both sides share. */
  handshakeHash: Uint8Array;
}

/** PSK = HKDF-SHA256(ikm = ISK, salt = empty, info = "firstlight/1 psk", L = 32) (§2.1). */
export function derivePairingPsk(isk: Uint8Array): Uint8Array {
  return hkdf(sha256, isk, new Uint8Array(0), PSK_INFO, 32);
}

/** The Noise prologue (§2.1): CI ‖ sid ‖ Ya. */
export function pairingPrologue(sid: Uint8Array, Ya: Uint8Array): Uint8Array {
  return concatBytes(PAIRING_CI, sid, Ya);
}

/**
 * Runs one pairing attempt over `t` and closes it. Resolves only after PAIR_DONE decrypted (key
 * confirmation, §2.5); every failure rejects with a CommissionerError (a DeviceError for the device's
 * ERROR frames) after sending the ERROR frame we owe.
 */
export async function pair(t: FrameTransport, o: PairOptions): Promise<PairResult> {
  const problem = setupCodeProblem(o.code);
  if (problem) throw new CommissionerError("BAD_CODE", problem);
  if (o.identity.privateKey.length !== 32 || o.identity.publicKey.length !== 32) throw new CommissionerError("BAD_IDENTITY", "the commissioner identity is an X25519 key pair");
  const random = o.random ?? randomBytes;
  const step = o.stepTimeoutMs ?? TIMEOUTS.pairingStep;
  const prs = utf8Encode(o.code);
  let hs: HandshakeState | null = null;
  try {
    // §2.2 PAIR_HELLO: sid ‖ Ya ‖ Noise message 1.
    const sid = random(SID_LENGTH);
    const share = cpaceShare({ prs, ci: PAIRING_CI, sid, scalar: random(32) });
    wipe(prs);
    hs = new HandshakeState({
      protocolName: PAIRING_PROTOCOL,
      initiator: true,
      prologue: pairingPrologue(sid, share.Y),
      s: o.identity,
      e: generateKeyPair(random(32)),
    });
    const config = encodeConfiguration({
      label: o.label,
      rekeyMessages: o.rekeyMessages ?? DEFAULT_REKEY.messages,
      rekeySeconds: o.rekeySeconds ?? DEFAULT_REKEY.seconds,
    });
    o.onStep?.("hello");
    await t.send(FRAME.PAIR_HELLO, concatBytes(sid, share.Y, hs.writeMessage(new Uint8Array(0))));

    // §2.3 PAIR_RESPONSE: Yb ‖ Noise message 2 (e, ee, s, es; device info).
    const resp = await expectFrame(t, FRAME.PAIR_RESPONSE, step);
    const Yb = resp.subarray(0, 32);
    const isk = cpaceInitiatorFinish(share, sid, Yb);
    const psk = derivePairingPsk(isk);
    wipe(isk);
    hs.supplyPsk(psk);
    wipe(psk);
    const deviceInfo = decodeDeviceInfo(hs.readMessage(resp.subarray(32)));
    const devicePublicKey = hs.rs!.slice();
    o.onStep?.("response", { devicePublicKey, deviceInfo });

    // §2.4 PAIR_CONFIRM: Noise message 3 (s, se, psk; configuration).
    await t.send(FRAME.PAIR_CONFIRM, hs.writeMessage(config));
    o.onStep?.("confirm");
    const { receive, send, handshakeHash } = hs.split();
    send.wipe();

    // §2.5 PAIR_DONE: the device's first transport message, counter 0, status TLV.
    const done = await expectFrame(t, FRAME.PAIR_DONE, step);
    const counter = readU64be(done, 0);
    if (counter !== 0) throw new CommissionerError("PROTO_OUT_OF_ORDER", "PAIR_DONE must carry counter 0, got " + counter);
    const status = decodeStatus(receive.decryptWithAd(new Uint8Array(0), done.subarray(8)));
    receive.wipe();
    if (status !== STATUS_PAIRED) throw new CommissionerError("PAIRING_REJECTED", "the device answered PAIR_DONE with status " + status);
    o.onStep?.("done", { devicePublicKey, deviceInfo });
    t.close();
    return { devicePublicKey, deviceInfo, handshakeHash };
  } catch (e) {
    hs?.wipeSecrets();
    await endConversation(t, e);
    throw e;
  }
}
