/*
 * ChaCha20, RFC 8439 §2.1-2.4: the quarter round on 32-bit words, 20 rounds, the state added back.
 * The same steps as firmware/crypto/chacha20.ts. Words are read and written byte by byte (no
 * alignment needed). The caller wipes the struct (its key words and key stream).
 */
#include "chacha20.h"

static uint32_t rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static uint32_t load32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void store32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* §2.1 */
static void quarter_round(uint32_t x[16], int a, int b, int c, int d) {
  x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 16);
  x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 12);
  x[a] += x[b]; x[d] = rotl(x[d] ^ x[a], 8);
  x[c] += x[d]; x[b] = rotl(x[b] ^ x[c], 7);
}

void chacha20_init(struct chacha20 *c, const uint8_t key[32], const uint8_t nonce[12]) {
  int i;
  c->input[0] = 0x61707865; /* "expand 32-byte k" */
  c->input[1] = 0x3320646e;
  c->input[2] = 0x79622d32;
  c->input[3] = 0x6b206574;
  for (i = 0; i < 8; i++) c->input[4 + i] = load32(key + 4 * i);
  c->input[12] = 0;
  for (i = 0; i < 3; i++) c->input[13 + i] = load32(nonce + 4 * i);
}

/* §2.3: ten double rounds (column, then diagonal), then the input added. */
void chacha20_block(struct chacha20 *c, uint32_t counter) {
  int i;
  c->input[12] = counter;
  for (i = 0; i < 16; i++) c->x[i] = c->input[i];
  for (i = 0; i < 10; i++) {
    quarter_round(c->x, 0, 4, 8, 12);
    quarter_round(c->x, 1, 5, 9, 13);
    quarter_round(c->x, 2, 6, 10, 14);
    quarter_round(c->x, 3, 7, 11, 15);
    quarter_round(c->x, 0, 5, 10, 15);
    quarter_round(c->x, 1, 6, 11, 12);
    quarter_round(c->x, 2, 7, 8, 13);
    quarter_round(c->x, 3, 4, 9, 14);
  }
  for (i = 0; i < 16; i++) store32(c->stream + 4 * i, c->x[i] + c->input[i]);
}

/* §2.4 */
void chacha20_xor(struct chacha20 *c, uint32_t counter, uint8_t *data, uint32_t len) {
  uint32_t at = 0, i, n;
  while (at < len) {
    chacha20_block(c, counter++);
    n = len - at < 64 ? len - at : 64;
    for (i = 0; i < n; i++) data[at + i] ^= c->stream[i];
    at += n;
  }
}
