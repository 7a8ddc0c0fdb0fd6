/** Peer adapter for the bench: @stablelib/x25519, @stablelib/sha256, @stablelib/chacha20poly1305. */
import { scalarMult } from "@stablelib/x25519";
import { hash } from "@stablelib/sha256";
import { ChaCha20Poly1305 } from "@stablelib/chacha20poly1305";

declare var peer: unknown; // the bench bundle's banner declares it: `var peer;`
peer = {
  name: "stablelib",
  x25519: function (scalar: Uint8Array, u: Uint8Array): Uint8Array { return scalarMult(scalar, u); },
  sha256: function (data: Uint8Array): Uint8Array { return hash(data); },
  aeadSeal: function (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    return new ChaCha20Poly1305(key).seal(nonce, plaintext, aad);
  },
};
