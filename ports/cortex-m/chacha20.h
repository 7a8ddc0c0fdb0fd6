/*
 * ChaCha20 (RFC 8439 §2.3-2.4) for the AEAD: one 64-byte key-stream block, and the XOR of a
 * buffer in place with the key stream from a starting block counter. Internal to the kernel.
 */
#ifndef FIRSTLIGHT_CHACHA20_H
#define FIRSTLIGHT_CHACHA20_H

#include <stdint.h>

/* The 16-word state of §2.3: constants, key, counter, nonce. */
struct chacha20 {
  uint32_t input[16];
  uint32_t x[16];
  uint8_t stream[64];
};

void chacha20_init(struct chacha20 *c, const uint8_t key[32], const uint8_t nonce[12]);
/* stream = the key-stream block `counter` (§2.3.2). */
void chacha20_block(struct chacha20 *c, uint32_t counter);
/* data[0..len) ^= key stream from block `counter` on (§2.4). */
void chacha20_xor(struct chacha20 *c, uint32_t counter, uint8_t *data, uint32_t len);

#endif
