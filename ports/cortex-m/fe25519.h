/*
 * Arithmetic modulo p = 2^255 - 19 on ten signed 32-bit limbs (radix 2^25.5): limb i holds bits
 * from position ceil(25.5·i), 26 bits wide when i is even and 25 bits when i is odd.
 *
 * Every function leaves its result "carried": limbs 0 and 2…9 in [0, 2^width), limb 1 at most a
 * little above 2^25 and not below -1. Such elements are valid inputs to every function here.
 * Results may alias inputs. Nothing branches on or indexes by limb values (constant time).
 */
#ifndef FIRSTLIGHT_FE25519_H
#define FIRSTLIGHT_FE25519_H

#include <stdint.h>

typedef int32_t fe25519[10];

void fe_from_bytes(fe25519 h, const uint8_t s[32]);
void fe_to_bytes(uint8_t s[32], const fe25519 f);
void fe_set_small(fe25519 h, int32_t v);
void fe_copy(fe25519 h, const fe25519 f);
void fe_add(fe25519 h, const fe25519 f, const fe25519 g);
void fe_sub(fe25519 h, const fe25519 f, const fe25519 g);
void fe_mul(fe25519 h, const fe25519 f, const fe25519 g);
void fe_sq(fe25519 h, const fe25519 f);
void fe_mul_small(fe25519 h, const fe25519 f, int32_t k);
void fe_invert(fe25519 h, const fe25519 z);
void fe_pow22523(fe25519 h, const fe25519 z);
void fe_cmov(fe25519 f, const fe25519 g, uint32_t bit);
uint32_t fe_equal(const fe25519 f, const fe25519 g);
/* Swaps f and g when bit is 1, leaves them when it is 0 (bit must be 0 or 1). */
void fe_cswap(fe25519 f, fe25519 g, uint32_t bit);

#endif
