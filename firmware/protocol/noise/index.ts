/**
 * The Noise layer as published on the core image (`firstlight.protocol.noise`): a plain object so
 * small engines look members up directly. Protocols: Noise_*_25519_ChaChaPoly_SHA256 (revision 34).
 */
import { CipherState, NONCE_LIMIT, MAX_MESSAGE_LEN } from "./cipher-state";
import { SymmetricState } from "./symmetric-state";
import { HandshakeState } from "./handshake-state";
import { handshakePattern, fundamentalPatternNames } from "./patterns";

export var noiseApi = {
  HandshakeState: HandshakeState,
  CipherState: CipherState,
  SymmetricState: SymmetricState,
  handshakePattern: handshakePattern,
  fundamentalPatternNames: fundamentalPatternNames,
  NONCE_LIMIT: NONCE_LIMIT,
  MAX_MESSAGE_LEN: MAX_MESSAGE_LEN,
};
