/*
 * Elligator 2 for Curve25519, u-coordinate only: map_to_curve_elligator2 of RFC 9380 §6.7.1 with
 * J = 486662, K = 1, Z = 2, as draft-irtf-cfrg-cpace-21 §4.1 uses it for G_X25519. The same steps
 * as firmware/protocol/cpace/elligator2.ts (the oracle of its tests):
 *   x1 = −J / (1 + Z·u²)   (with step 3's CMOV: Z·u² = −1 becomes 0)
 *   gx1 = x1³ + J·x1² + x1,  x2 = −x1 − J,  u_out = is_square(gx1) ? x1 : x2
 * The input derives from the password: branch-free, and the stack is wiped before returning.
 */
#include "firstlight_accel.h"
#include "fe25519.h"
#include "stack-wipe.h"

#define CURVE25519_J 486662

struct elligator {
  uint8_t bytes[32];
  fe25519 u, t1, x1, gx1, x2, t, zero, one, minus_one, j;
};

__attribute__((noinline)) static void elligator2_work(uint8_t out[32], const uint8_t r[32], struct elligator *s) {
  int i;
  for (i = 0; i < 32; i++) s->bytes[i] = r[i];
  s->bytes[31] &= 0x7f;
  fe_from_bytes(s->u, s->bytes);
  fe_set_small(s->zero, 0);
  fe_set_small(s->one, 1);
  fe_sub(s->minus_one, s->zero, s->one);
  fe_set_small(s->j, CURVE25519_J);
  /* Steps 1-3: t1 = Z·u²; if t1 = −1 then t1 = 0. */
  fe_sq(s->t1, s->u);
  fe_add(s->t1, s->t1, s->t1);
  fe_cmov(s->t1, s->zero, fe_equal(s->t1, s->minus_one));
  /* Steps 4-6: x1 = −J / (t1 + 1). */
  fe_add(s->x1, s->t1, s->one);
  fe_invert(s->x1, s->x1);
  fe_mul(s->x1, s->x1, s->j);
  fe_sub(s->x1, s->zero, s->x1);
  /* Step 7: gx1 = ((x1 + J)·x1 + 1)·x1. */
  fe_add(s->gx1, s->x1, s->j);
  fe_mul(s->gx1, s->gx1, s->x1);
  fe_add(s->gx1, s->gx1, s->one);
  fe_mul(s->gx1, s->gx1, s->x1);
  /* Step 8: x2 = −x1 − J. */
  fe_sub(s->x2, s->zero, s->x1);
  fe_sub(s->x2, s->x2, s->j);
  /* Step 10: gx1^((p−1)/2) = (gx1^((p−5)/8))^4 · gx1^2, which is −1 exactly when gx1 is not a square. */
  fe_pow22523(s->t, s->gx1);
  fe_sq(s->t, s->t);
  fe_mul(s->t, s->t, s->gx1);
  fe_sq(s->t, s->t);
  /* Step 11: keep x1, take x2 when gx1 is not a square. */
  fe_cmov(s->x1, s->x2, fe_equal(s->t, s->minus_one));
  fe_to_bytes(out, s->x1);
}

__attribute__((noinline)) static void elligator2_frame(uint8_t out[32], const uint8_t r[32]) {
  struct elligator s;
  elligator2_work(out, r, &s);
}

void fl_elligator2(uint8_t out[32], const uint8_t r[32]) {
  elligator2_frame(out, r);
  fl_stack_wipe();
}
