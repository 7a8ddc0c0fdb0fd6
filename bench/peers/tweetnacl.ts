/** Peer adapter for the bench: tweetnacl-js (nacl-fast.js, the package's main), X25519 only. */
import nacl from "tweetnacl";

declare var peer: unknown; // the bench bundle's banner declares it: `var peer;`
peer = {
  name: "tweetnacl",
  x25519: function (scalar: Uint8Array, u: Uint8Array): Uint8Array { return nacl.scalarMult(scalar, u); },
};
