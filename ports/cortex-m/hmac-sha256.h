/*
 * HMAC-SHA-256 (RFC 2104) for HKDF and HMAC_DRBG: the keyed inner and outer hashes in one struct the
 * caller owns and wipes. Internal to the kernel.
 */
#ifndef FIRSTLIGHT_HMAC_SHA256_H
#define FIRSTLIGHT_HMAC_SHA256_H

#include "sha256.h"

struct hmac_sha256 {
  struct sha256 inner, outer;
  uint8_t pad[SHA256_BLOCK];
  uint8_t ih[SHA256_BYTES];
};

void hmac_init(struct hmac_sha256 *h, const uint8_t *key, uint32_t key_len);
void hmac_update(struct hmac_sha256 *h, const uint8_t *m, uint32_t len);
/* out may alias the key or any message given. */
void hmac_final(struct hmac_sha256 *h, uint8_t out[SHA256_BYTES]);

#endif
