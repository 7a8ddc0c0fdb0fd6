/** RFC 7748 on the built image: §5.2 vectors and iterations, §6.1 Diffie-Hellman. */
import type { Check } from "../runner";

interface Data {
  x25519: { k: string; u: string; out: string }[];
  start: string;
  iterated: { n: number; k: string }[];
  dh: { alicePrivate: string; alicePublic: string; bobPrivate: string; bobPublic: string; sharedSecret: string };
  /** Only the shared secret from Alice's side (the loader's smoke sample). */
  dhOneSide?: boolean;
}

export function run(fl: any, data: Data, t: Check): void {
  var c = fl.crypto, h = c.fromHex, i: number;
  for (i = 0; i < data.x25519.length; i++) {
    var v = data.x25519[i];
    t.eqHex(c.x25519(h(v.k), h(v.u)), v.out, "§5.2 vector " + (i + 1));
  }
  if (!t.first) return; // one-off checks: on the first piece only
  // §5.2 iterated: r = X25519(k, u); u = k; k = r. Results are checkpoints of one run.
  var k = h(data.start), u = h(data.start), r, done = 0;
  for (i = 0; i < data.iterated.length; i++) {
    var want = data.iterated[i];
    for (; done < want.n; done++) {
      r = c.x25519(k, u);
      u = k;
      k = r;
    }
    t.eqHex(k, want.k, "§5.2 after " + want.n + " iterations");
  }
  var d = data.dh, both = !data.dhOneSide;
  if (both) t.eqHex(c.x25519Base(h(d.alicePrivate)), d.alicePublic, "§6.1 Alice's public key");
  if (both) t.eqHex(c.x25519Base(h(d.bobPrivate)), d.bobPublic, "§6.1 Bob's public key");
  t.eqHex(c.x25519Shared(h(d.alicePrivate), h(d.bobPublic)), d.sharedSecret, "§6.1 K from Alice's side");
  if (both) {
    t.eqHex(c.x25519Shared(h(d.bobPrivate), h(d.alicePublic)), d.sharedSecret, "§6.1 K from Bob's side");
    t.eqHex(c.x25519Keypair(h(d.alicePrivate)).publicKey, d.alicePublic, "x25519Keypair public key");
  }
  t.throwsCode(function () { return c.x25519(new Uint8Array(31), h(d.bobPublic)); }, "CRYPTO_BAD_INPUT", "31-byte scalar");
  t.throwsCode(function () { return c.x25519Shared(h(d.alicePrivate), new Uint8Array(33)); }, "CRYPTO_BAD_INPUT", "33-byte public key");
}
