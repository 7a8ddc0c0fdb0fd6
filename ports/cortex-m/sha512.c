/*
 * SHA-512, FIPS 180-4 §6.4: the compression of one 128-byte block (§6.4.2) and the padding of §5.1.2
 * (0x80, zeros, the 128-bit bit length big-endian). The same steps as firmware/crypto/sha512.ts, in
 * 64-bit words (two registers each on a Cortex-M; no multiply, so no libgcc call on any core).
 */
#include "sha512.h"

/* §4.2.3: the first 64 bits of the fractional parts of the cube roots of the first 80 primes. */
#define SHA512_K_WORDS \
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538, \
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe, \
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, \
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, \
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab, \
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725, \
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, \
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b, \
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218, \
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53, \
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, \
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec, \
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c, \
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6, \
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, \
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817

#if defined(__arm__) && defined(__thumb__)
/* As in sha256.c: the table follows a function that returns its address PC-relatively (adr). */
#define SHA512_STRINGIFY(...) #__VA_ARGS__
#define SHA512_WORDS_TEXT(...) SHA512_STRINGIFY(__VA_ARGS__)
__attribute__((naked, noinline)) static const uint64_t *sha512_k(void) {
  __asm__ volatile("adr r0, 1f\n\tbx lr\n\t.p2align 3\n1:\n\t.quad " SHA512_WORDS_TEXT(SHA512_K_WORDS) "\n");
}
#else
static const uint64_t SHA512_K[80] = {SHA512_K_WORDS};
static const uint64_t *sha512_k(void) { return SHA512_K; }
#endif

static uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static uint64_t load_be64(const uint8_t *p) {
  uint64_t v = 0;
  int i;
  for (i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static void store_be64(uint8_t *p, uint64_t v) {
  int i;
  for (i = 7; i >= 0; i--) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

/* §5.3.5: the initial hash value. */
static void sha512_init(struct sha512 *s) {
  s->state[0] = 0x6a09e667f3bcc908; s->state[1] = 0xbb67ae8584caa73b;
  s->state[2] = 0x3c6ef372fe94f82b; s->state[3] = 0xa54ff53a5f1d36f1;
  s->state[4] = 0x510e527fade682d1; s->state[5] = 0x9b05688c2b3e6c1f;
  s->state[6] = 0x1f83d9abfb41bd6b; s->state[7] = 0x5be0cd19137e2179;
}

/* §6.4.2: the message schedule in s->w, then 80 rounds on a..h. */
static void compress(struct sha512 *s, const uint8_t *m) {
  uint64_t *w = s->w, a, b, c, d, e, f, g, h, t1, t2;
  const uint64_t *K = sha512_k();
  int i;
  for (i = 0; i < 16; i++) w[i] = load_be64(m + 8 * i);
  for (i = 16; i < 80; i++) {
    uint64_t s0 = rotr64(w[i - 15], 1) ^ rotr64(w[i - 15], 8) ^ (w[i - 15] >> 7);
    uint64_t s1 = rotr64(w[i - 2], 19) ^ rotr64(w[i - 2], 61) ^ (w[i - 2] >> 6);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  a = s->state[0]; b = s->state[1]; c = s->state[2]; d = s->state[3];
  e = s->state[4]; f = s->state[5]; g = s->state[6]; h = s->state[7];
  for (i = 0; i < 80; i++) {
    t1 = h + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    t2 = (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  s->state[0] += a; s->state[1] += b; s->state[2] += c; s->state[3] += d;
  s->state[4] += e; s->state[5] += f; s->state[6] += g; s->state[7] += h;
}

/* Whole blocks straight from m; the tail, 0x80, zeros to 112 mod 128 and the bit length in s->block. */
void sha512_oneshot(struct sha512 *s, const uint8_t *m, uint32_t len, uint8_t out[SHA512_BYTES]) {
  uint32_t done = 0, used = 0, i;
  sha512_init(s);
  while (len - done >= SHA512_BLOCK) {
    compress(s, m + done);
    done += SHA512_BLOCK;
  }
  while (done < len) s->block[used++] = m[done++];
  s->block[used++] = 0x80;
  if (used > 112) {
    while (used < SHA512_BLOCK) s->block[used++] = 0;
    compress(s, s->block);
    used = 0;
  }
  while (used < 120) s->block[used++] = 0;
  store_be64(s->block + 120, (uint64_t)len << 3);
  compress(s, s->block);
  for (i = 0; i < 8; i++) store_be64(out + 8 * i, s->state[i]);
}
