/*
 * SHA-512 (FIPS 180-4 §6.4) for the one-shot entry fl_sha512 (hash.c): the compression of one
 * 128-byte block over a caller-owned struct (the message schedule included, so nothing secret lives
 * in a frame of its own). Internal to the kernel; the caller wipes the struct.
 */
#ifndef FIRSTLIGHT_SHA512_H
#define FIRSTLIGHT_SHA512_H

#include <stdint.h>

#define SHA512_BYTES 64
#define SHA512_BLOCK 128

struct sha512 {
  uint64_t state[8];
  uint64_t w[80];
  uint8_t block[SHA512_BLOCK];
};

/* The whole message at once: §5.1.2 padding, §6.4.2 compression, the digest big-endian. */
void sha512_oneshot(struct sha512 *s, const uint8_t *m, uint32_t len, uint8_t out[SHA512_BYTES]);

#endif
