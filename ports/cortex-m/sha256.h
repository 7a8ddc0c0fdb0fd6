/*
 * SHA-256 (FIPS 180-4 §6.2) for HMAC, HKDF and HMAC_DRBG: streaming init/update/final over a
 * caller-owned struct (the message schedule included, so nothing secret lives in a frame of its
 * own). Internal to the kernel; the caller wipes the struct.
 */
#ifndef FIRSTLIGHT_SHA256_H
#define FIRSTLIGHT_SHA256_H

#include <stdint.h>

#define SHA256_BYTES 32
#define SHA256_BLOCK 64

struct sha256 {
  uint32_t state[8];
  uint32_t w[64];
  uint8_t block[SHA256_BLOCK];
  uint32_t used;
  uint32_t bytes_lo, bytes_hi;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const uint8_t *m, uint32_t len);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);

#endif
