/*
 * X25519 (RFC 7748 §5): the Montgomery ladder over fe25519 with conditional swaps by mask.
 * The entry points run the work in a function of its own and then wipe the stack it used.
 */
#include "firstlight_accel.h"
#include "fe25519.h"
#include "stack-wipe.h"

/* (A - 2) / 4 for Curve25519's A = 486662 (RFC 7748 §5's a24). */
#define CURVE25519_A24 121665

struct ladder {
  uint8_t k[32];
  fe25519 x1, x2, z2, x3, z3;
  fe25519 a, aa, b, bb, c, d, e;
};

static void clamp_scalar(uint8_t k[32], const uint8_t scalar[32]) {
  int i;
  for (i = 0; i < 32; i++) k[i] = scalar[i];
  k[0] &= 248;
  k[31] &= 127;
  k[31] |= 64;
}

/* One ladder step (RFC 7748 §5): (x2:z2) doubles, (x3:z3) becomes the sum. */
static void ladder_step(struct ladder *s) {
  fe_add(s->a, s->x2, s->z2);
  fe_sq(s->aa, s->a);
  fe_sub(s->b, s->x2, s->z2);
  fe_sq(s->bb, s->b);
  fe_sub(s->e, s->aa, s->bb);
  fe_add(s->c, s->x3, s->z3);
  fe_sub(s->d, s->x3, s->z3);
  fe_mul(s->d, s->d, s->a);      /* DA */
  fe_mul(s->c, s->c, s->b);      /* CB */
  fe_add(s->x3, s->d, s->c);
  fe_sq(s->x3, s->x3);
  fe_sub(s->z3, s->d, s->c);
  fe_sq(s->z3, s->z3);
  fe_mul(s->z3, s->z3, s->x1);
  fe_mul(s->x2, s->aa, s->bb);
  fe_mul_small(s->z2, s->e, CURVE25519_A24);
  fe_add(s->z2, s->z2, s->aa);
  fe_mul(s->z2, s->z2, s->e);
}

/* point NULL stands for the base point u = 9 (§4.1). */
__attribute__((noinline)) static void x25519_work(uint8_t out[32], const uint8_t scalar[32], const uint8_t *point) {
  struct ladder s;
  uint32_t swap = 0, bit;
  int t;
  clamp_scalar(s.k, scalar);
  if (point)
    fe_from_bytes(s.x1, point);
  else
    fe_set_small(s.x1, 9);
  fe_set_small(s.x2, 1);
  fe_set_small(s.z2, 0);
  fe_copy(s.x3, s.x1);
  fe_set_small(s.z3, 1);
  for (t = 254; t >= 0; t--) {
    bit = (uint32_t)(s.k[t >> 3] >> (t & 7)) & 1;
    swap ^= bit;
    fe_cswap(s.x2, s.x3, swap);
    fe_cswap(s.z2, s.z3, swap);
    swap = bit;
    ladder_step(&s);
  }
  fe_cswap(s.x2, s.x3, swap);
  fe_cswap(s.z2, s.z3, swap);
  fe_invert(s.z2, s.z2);
  fe_mul(s.x2, s.x2, s.z2);
  fe_to_bytes(out, s.x2);
}

void fl_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32]) {
  x25519_work(out, scalar, point);
  fl_stack_wipe();
}

void fl_x25519_base(uint8_t out[32], const uint8_t scalar[32]) {
  x25519_work(out, scalar, 0);
  fl_stack_wipe();
}
