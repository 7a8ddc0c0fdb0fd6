/*
 * Poly1305, RFC 8439 §2.5: h = (h + block + 2^128·hibit) · r mod 2^130 - 5, then tag = h + s.
 * Radix 2^26: five limbs, 32×32→64-bit products (the Cortex-M4's UMULL/UMLAL), a column of five
 * products of < 2^26 · 5·2^26 stays below 2^64. Constant time: the final reduction selects by
 * mask, nothing branches on the message or the key.
 */
#include "poly1305.h"

#define MASK26 0x3ffffffu

static uint32_t load32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void store32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* §2.5.1: r clamped (the top four bits of bytes 3, 7, 11, 15 and the low two of 4, 8, 12 cleared). */
void poly1305_init(struct poly1305 *p, const uint8_t key[32]) {
  int i;
  p->r[0] = load32(key) & 0x3ffffff;
  p->r[1] = (load32(key + 3) >> 2) & 0x3ffff03;
  p->r[2] = (load32(key + 6) >> 4) & 0x3ffc0ff;
  p->r[3] = (load32(key + 9) >> 6) & 0x3f03fff;
  p->r[4] = (load32(key + 12) >> 8) & 0x00fffff;
  for (i = 0; i < 5; i++) p->h[i] = 0;
  for (i = 0; i < 4; i++) p->pad[i] = load32(key + 16 + 4 * i);
  p->used = 0;
}

/* One 16-byte block with 2^128·hibit added (hibit 1 for a full block, 0 for the padded last). */
static void block(struct poly1305 *p, const uint8_t m[16], uint32_t hibit) {
  uint32_t r0 = p->r[0], r1 = p->r[1], r2 = p->r[2], r3 = p->r[3], r4 = p->r[4];
  uint32_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
  uint32_t h0, h1, h2, h3, h4, c;
  uint64_t d0, d1, d2, d3, d4;
  h0 = p->h[0] + (load32(m) & MASK26);
  h1 = p->h[1] + ((load32(m + 3) >> 2) & MASK26);
  h2 = p->h[2] + ((load32(m + 6) >> 4) & MASK26);
  h3 = p->h[3] + ((load32(m + 9) >> 6) & MASK26);
  h4 = p->h[4] + ((load32(m + 12) >> 8) | (hibit << 24));
  d0 = (uint64_t)h0 * r0 + (uint64_t)h1 * s4 + (uint64_t)h2 * s3 + (uint64_t)h3 * s2 + (uint64_t)h4 * s1;
  d1 = (uint64_t)h0 * r1 + (uint64_t)h1 * r0 + (uint64_t)h2 * s4 + (uint64_t)h3 * s3 + (uint64_t)h4 * s2;
  d2 = (uint64_t)h0 * r2 + (uint64_t)h1 * r1 + (uint64_t)h2 * r0 + (uint64_t)h3 * s4 + (uint64_t)h4 * s3;
  d3 = (uint64_t)h0 * r3 + (uint64_t)h1 * r2 + (uint64_t)h2 * r1 + (uint64_t)h3 * r0 + (uint64_t)h4 * s4;
  d4 = (uint64_t)h0 * r4 + (uint64_t)h1 * r3 + (uint64_t)h2 * r2 + (uint64_t)h3 * r1 + (uint64_t)h4 * r0;
  c = (uint32_t)(d0 >> 26); h0 = (uint32_t)d0 & MASK26;
  d1 += c; c = (uint32_t)(d1 >> 26); h1 = (uint32_t)d1 & MASK26;
  d2 += c; c = (uint32_t)(d2 >> 26); h2 = (uint32_t)d2 & MASK26;
  d3 += c; c = (uint32_t)(d3 >> 26); h3 = (uint32_t)d3 & MASK26;
  d4 += c; c = (uint32_t)(d4 >> 26); h4 = (uint32_t)d4 & MASK26;
  h0 += c * 5; c = h0 >> 26; h0 &= MASK26;
  h1 += c;
  p->h[0] = h0; p->h[1] = h1; p->h[2] = h2; p->h[3] = h3; p->h[4] = h4;
}

/* Whole blocks straight from m; a partial one waits in buf. */
void poly1305_update(struct poly1305 *p, const uint8_t *m, uint32_t len) {
  uint32_t i = 0;
  while (i < len) {
    if (p->used == 0 && len - i >= 16) {
      block(p, m + i, 1);
      i += 16;
      continue;
    }
    p->buf[p->used++] = m[i++];
    if (p->used == 16) {
      block(p, p->buf, 1);
      p->used = 0;
    }
  }
}

/* Full carry of h, then h - p selected by mask when h ≥ p = 2^130 - 5. */
static void reduce(uint32_t h[5]) {
  uint32_t g[5], c, mask;
  int i;
  c = h[1] >> 26; h[1] &= MASK26;
  for (i = 2; i < 5; i++) { h[i] += c; c = h[i] >> 26; h[i] &= MASK26; }
  h[0] += c * 5; c = h[0] >> 26; h[0] &= MASK26;
  h[1] += c;
  c = 5;
  for (i = 0; i < 5; i++) { g[i] = h[i] + c; c = g[i] >> 26; g[i] &= MASK26; }
  g[4] -= (uint32_t)1 << 26; /* wraps when h < p: the top bit of g[4] then says "keep h" */
  mask = (g[4] >> 31) - 1;    /* all ones when h ≥ p */
  for (i = 0; i < 5; i++) h[i] = (h[i] & ~mask) | (g[i] & mask);
  for (i = 0; i < 5; i++) g[i] = 0;
}

void poly1305_finish(struct poly1305 *p, uint8_t tag[16]) {
  uint32_t *h = p->h, w[4];
  uint64_t f;
  int i;
  if (p->used) {
    p->buf[p->used] = 1;
    for (i = p->used + 1; i < 16; i++) p->buf[i] = 0;
    block(p, p->buf, 0);
  }
  reduce(h);
  /* h as four 32-bit words (mod 2^128), plus s. */
  w[0] = h[0] | (h[1] << 26);
  w[1] = (h[1] >> 6) | (h[2] << 20);
  w[2] = (h[2] >> 12) | (h[3] << 14);
  w[3] = (h[3] >> 18) | (h[4] << 8);
  f = 0;
  for (i = 0; i < 4; i++) {
    f += (uint64_t)w[i] + p->pad[i];
    store32(tag + 4 * i, (uint32_t)f);
    f >>= 32;
  }
}
