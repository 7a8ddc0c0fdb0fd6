/*
 * SHA-256, FIPS 180-4 §6.2: the compression of one 64-byte block (§6.2.2), and the padding of §5.1.1
 * (0x80, zeros, the bit length big-endian). The same steps as firmware/crypto/sha256.ts.
 */
#include "sha256.h"

/* §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
#define SHA256_K_WORDS \
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, \
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, \
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, \
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, \
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, \
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, \
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, \
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2

#if defined(__arm__) && defined(__thumb__)
/*
 * The blob has no data section and may run at any address: a table in .rodata would be reached
 * through an absolute address in a literal pool. The table is instead placed after a two-instruction
 * function that returns its address PC-relatively (adr), so it moves with the code.
 */
#define SHA256_STRINGIFY(...) #__VA_ARGS__
#define SHA256_WORDS_TEXT(...) SHA256_STRINGIFY(__VA_ARGS__)
__attribute__((naked, noinline)) static const uint32_t *sha256_k(void) {
  __asm__ volatile("adr r0, 1f\n\tbx lr\n\t.p2align 2\n1:\n\t.word " SHA256_WORDS_TEXT(SHA256_K_WORDS) "\n");
}
#else
static const uint32_t SHA256_K[64] = {SHA256_K_WORDS};
static const uint32_t *sha256_k(void) { return SHA256_K; }
#endif

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static uint32_t load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

void sha256_init(struct sha256 *s) {
  s->state[0] = 0x6a09e667; s->state[1] = 0xbb67ae85; s->state[2] = 0x3c6ef372; s->state[3] = 0xa54ff53a;
  s->state[4] = 0x510e527f; s->state[5] = 0x9b05688c; s->state[6] = 0x1f83d9ab; s->state[7] = 0x5be0cd19;
  s->used = 0;
  s->bytes_lo = 0;
  s->bytes_hi = 0;
}

/* §6.2.2: the message schedule in s->w, then 64 rounds on a..h. */
static void compress(struct sha256 *s, const uint8_t *m) {
  uint32_t *w = s->w, a, b, c, d, e, f, g, h, t1, t2;
  const uint32_t *K = sha256_k();
  int i;
  for (i = 0; i < 16; i++) w[i] = load_be32(m + 4 * i);
  for (i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  a = s->state[0]; b = s->state[1]; c = s->state[2]; d = s->state[3];
  e = s->state[4]; f = s->state[5]; g = s->state[6]; h = s->state[7];
  for (i = 0; i < 64; i++) {
    t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  s->state[0] += a; s->state[1] += b; s->state[2] += c; s->state[3] += d;
  s->state[4] += e; s->state[5] += f; s->state[6] += g; s->state[7] += h;
}

void sha256_update(struct sha256 *s, const uint8_t *m, uint32_t len) {
  uint32_t i = 0;
  s->bytes_lo += len;
  if (s->bytes_lo < len) s->bytes_hi++;
  while (i < len) {
    if (s->used == 0 && len - i >= SHA256_BLOCK) {
      compress(s, m + i);
      i += SHA256_BLOCK;
      continue;
    }
    s->block[s->used++] = m[i++];
    if (s->used == SHA256_BLOCK) {
      compress(s, s->block);
      s->used = 0;
    }
  }
}

/* §5.1.1: 0x80, zeros to 56 mod 64, then the message length in bits, big-endian. */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]) {
  uint32_t hi = (s->bytes_hi << 3) | (s->bytes_lo >> 29), lo = s->bytes_lo << 3;
  int i;
  s->block[s->used++] = 0x80;
  if (s->used > 56) {
    while (s->used < SHA256_BLOCK) s->block[s->used++] = 0;
    compress(s, s->block);
    s->used = 0;
  }
  while (s->used < 56) s->block[s->used++] = 0;
  store_be32(s->block + 56, hi);
  store_be32(s->block + 60, lo);
  compress(s, s->block);
  for (i = 0; i < 8; i++) store_be32(out + 4 * i, s->state[i]);
}
