/*
 * Poly1305 (RFC 8439 §2.5) for the AEAD: the one-time key's r and s, the accumulator in five
 * 26-bit limbs, and a partial block. Internal to the kernel; the caller wipes the struct.
 */
#ifndef FIRSTLIGHT_POLY1305_H
#define FIRSTLIGHT_POLY1305_H

#include <stdint.h>

struct poly1305 {
  uint32_t r[5], h[5], pad[4];
  uint8_t buf[16];
  uint32_t used;
};

void poly1305_init(struct poly1305 *p, const uint8_t key[32]);
void poly1305_update(struct poly1305 *p, const uint8_t *m, uint32_t len);
/* The 16-byte tag of everything given; the accumulator is left spent. */
void poly1305_finish(struct poly1305 *p, uint8_t tag[16]);

#endif
