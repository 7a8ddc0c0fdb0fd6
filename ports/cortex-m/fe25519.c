/*
 * Field arithmetic mod 2^255 - 19 (see fe25519.h for the representation).
 *
 * The multiply works column by column: output limb k sums f[i]·g[k-i] over i, with g[j]·19 where
 * the product wraps past 2^255 (2^255 ≡ 19) and f[i]·2 where both limbs are odd (two half bits of
 * the radix add up to one). Bounds: carried limbs are below 2^26, 19·g below 2^30.3, so each
 * product is below 2^56.3 and a column of ten below 2^60: int64 holds it.
 *
 * Temporaries stay on the stack: the entry points (x25519.c) wipe the stack depth they used
 * before returning, since a compiler may drop zeroing stores to locals that are never read again.
 */
#include "fe25519.h"

static int limb_width(int i) { return 26 - (i & 1); }

static int32_t limb_mask(int i) { return ((int32_t)1 << limb_width(i)) - 1; }

/*
 * Sequential carry of ten wide columns into h, folding the carry out of limb 9 back as ·19.
 * Arithmetic shifts floor, so what stays in a limb is its low bits: t - (t >> w)·2^w = t & mask.
 * Unrolled so that widths and masks are constants.
 */
static void carry_wide(fe25519 h, int64_t t[10]) {
  int64_t c;
  int i;
#pragma GCC unroll 9
  for (i = 0; i < 9; i++) {
    c = t[i] >> limb_width(i);
    h[i] = (int32_t)t[i] & limb_mask(i);
    t[i + 1] += c;
  }
  c = t[9] >> 25;
  h[9] = (int32_t)t[9] & limb_mask(9);
  c = (int64_t)h[0] + c * 19;
  h[0] = (int32_t)c & limb_mask(0);
  h[1] += (int32_t)(c >> 26);
}

/* The same on narrow limbs (after add, sub, or a small multiple), in place. */
static void carry_narrow(fe25519 h) {
  int32_t c;
  int i;
#pragma GCC unroll 9
  for (i = 0; i < 9; i++) {
    c = h[i] >> limb_width(i);
    h[i] &= limb_mask(i);
    h[i + 1] += c;
  }
  c = h[9] >> 25;
  h[9] &= limb_mask(9);
  h[0] += c * 19;
  c = h[0] >> 26;
  h[0] &= limb_mask(0);
  h[1] += c;
}

/* Carries limb 0 up to limb 9 without folding; limbs end in [0, 2^width); returns the carry out. */
static int32_t carry_exact(fe25519 h) {
  int32_t c = 0;
  int i;
  for (i = 0; i < 10; i++) {
    h[i] += c;
    c = h[i] >> limb_width(i);
    h[i] -= c * ((int32_t)1 << limb_width(i));
  }
  return c;
}

static uint32_t load32_le(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Bits 0…254 of s (bit 255 is ignored, RFC 7748 §5). Every 25/26-bit field fits one 32-bit load. */
void fe_from_bytes(fe25519 h, const uint8_t s[32]) {
  int i, pos = 0;
  for (i = 0; i < 10; i++) {
    uint32_t word = load32_le(s + (pos >> 3)) >> (pos & 7);
    h[i] = (int32_t)(word & (((uint32_t)1 << limb_width(i)) - 1));
    pos += limb_width(i);
  }
}

/*
 * The canonical encoding (value mod p in [0, p)). 2p is added first so that every limb and the
 * value are non-negative; two exact carries with the carry out folded back (·19) leave the value
 * below 2^255 in canonical limbs; q = floor((v + 19) / 2^255) is 1 exactly when v ≥ p, and
 * v + 19q - q·2^255 = v - q·p.
 */
void fe_to_bytes(uint8_t s[32], const fe25519 f) {
  fe25519 h;
  int32_t q;
  int i, bits = 0, o = 0;
  uint64_t acc = 0;
  for (i = 0; i < 10; i++) h[i] = f[i] + 2 * (((int32_t)1 << limb_width(i)) - 1);
  h[0] -= 2 * 18;
  h[0] += 19 * carry_exact(h);
  h[0] += 19 * carry_exact(h);
  q = (h[0] + 19) >> 26;
  for (i = 1; i < 10; i++) q = (h[i] + q) >> limb_width(i);
  h[0] += 19 * q;
  (void)carry_exact(h);
  for (i = 0; i < 10; i++) {
    acc |= (uint64_t)(uint32_t)h[i] << bits;
    bits += limb_width(i);
    while (bits >= 8) {
      s[o++] = (uint8_t)acc;
      acc >>= 8;
      bits -= 8;
    }
  }
  s[31] = (uint8_t)acc;
}

void fe_set_small(fe25519 h, int32_t v) {
  int i;
  h[0] = v;
  for (i = 1; i < 10; i++) h[i] = 0;
}

void fe_copy(fe25519 h, const fe25519 f) {
  int i;
  for (i = 0; i < 10; i++) h[i] = f[i];
}

void fe_add(fe25519 h, const fe25519 f, const fe25519 g) {
  int i;
  for (i = 0; i < 10; i++) h[i] = f[i] + g[i];
  carry_narrow(h);
}

void fe_sub(fe25519 h, const fe25519 f, const fe25519 g) {
  int i;
  for (i = 0; i < 10; i++) h[i] = f[i] - g[i];
  carry_narrow(h);
}

void fe_mul(fe25519 h, const fe25519 f, const fe25519 g) {
  int32_t g19[10], f2[10];
  int64_t t[10];
  int i, k;
#pragma GCC unroll 10
  for (i = 0; i < 10; i++) {
    g19[i] = 19 * g[i];
    f2[i] = (i & 1) ? 2 * f[i] : f[i];
  }
#pragma GCC unroll 10
  for (k = 0; k < 10; k++) {
    int64_t acc = 0;
#pragma GCC unroll 10
    for (i = 0; i < 10; i++) {
      int j = i <= k ? k - i : k - i + 10;
      int32_t a = (i & j & 1) ? f2[i] : f[i];
      int32_t b = i <= k ? g[j] : g19[j];
      acc += (int64_t)a * b;
    }
    t[k] = acc;
  }
  carry_wide(h, t);
}

/*
 * f² with each cross product once: column k sums f[i]·f[j] over i ≤ j, i + j ≡ k (mod 10), doubled
 * when i < j (the pair appears twice in the full product), doubled when both limbs are odd, and
 * with f[j]·19 when i + j ≥ 10. Bounds: 4·f[i] below 2^28 times 19·f[j] below 2^30.3, at most six
 * terms a column: below 2^61.
 */
void fe_sq(fe25519 h, const fe25519 f) {
  int32_t f2[10], f19[10];
  int64_t t[10];
  int i, k;
#pragma GCC unroll 10
  for (i = 0; i < 10; i++) {
    f2[i] = 2 * f[i];
    f19[i] = 19 * f[i];
  }
#pragma GCC unroll 10
  for (k = 0; k < 10; k++) {
    int64_t acc = 0;
#pragma GCC unroll 10
    for (i = 0; i < 10; i++) {
      int j = i <= k ? k - i : k - i + 10;
      int doubled = (i < j) + (i & j & 1);
      int32_t a = doubled == 2 ? 2 * f2[i] : doubled == 1 ? f2[i] : f[i];
      int32_t b = i <= k ? f[j] : f19[j];
      if (j >= i) acc += (int64_t)a * b;
    }
    t[k] = acc;
  }
  carry_wide(h, t);
}

void fe_mul_small(fe25519 h, const fe25519 f, int32_t k) {
  int64_t t[10];
  int i;
  for (i = 0; i < 10; i++) t[i] = (int64_t)f[i] * k;
  carry_wide(h, t);
}

static void fe_sq_times(fe25519 h, const fe25519 f, int n) {
  int i;
  fe_sq(h, f);
  for (i = 1; i < n; i++) fe_sq(h, h);
}

/* z^(2^250 - 1), the common head of the inversion and square-root chains; also z^11 into z11. */
static void fe_pow_2_250_1(fe25519 h, fe25519 z11, const fe25519 z) {
  fe25519 z2, z9, a, b, t;
  fe_sq(z2, z);                 /* z^2 */
  fe_sq_times(t, z2, 2);        /* z^8 */
  fe_mul(z9, t, z);             /* z^9 */
  fe_mul(z11, z9, z2);          /* z^11 */
  fe_sq(t, z11);                /* z^22 */
  fe_mul(a, t, z9);             /* a = z^(2^5 - 1) */
  fe_sq_times(t, a, 5);
  fe_mul(b, t, a);              /* b = z^(2^10 - 1) */
  fe_sq_times(t, b, 10);
  fe_mul(t, t, b);              /* z^(2^20 - 1) */
  fe_sq_times(a, t, 20);
  fe_mul(t, a, t);              /* z^(2^40 - 1) */
  fe_sq_times(t, t, 10);
  fe_mul(b, t, b);              /* b = z^(2^50 - 1) */
  fe_sq_times(t, b, 50);
  fe_mul(a, t, b);              /* a = z^(2^100 - 1) */
  fe_sq_times(t, a, 100);
  fe_mul(t, t, a);              /* z^(2^200 - 1) */
  fe_sq_times(t, t, 50);
  fe_mul(h, t, b);              /* z^(2^250 - 1) */
}

/* z^(p-2) = z^(2^255 - 21): 254 squarings, 11 multiplies. */
void fe_invert(fe25519 h, const fe25519 z) {
  fe25519 t, z11;
  fe_pow_2_250_1(t, z11, z);
  fe_sq_times(t, t, 5);         /* z^(2^255 - 32) */
  fe_mul(h, t, z11);            /* z^(2^255 - 21) */
}

/* z^((p-5)/8) = z^(2^252 - 3), the square-root exponent. */
void fe_pow22523(fe25519 h, const fe25519 z) {
  fe25519 t, z11;
  fe_pow_2_250_1(t, z11, z);
  fe_sq_times(t, t, 2);         /* z^(2^252 - 4) */
  fe_mul(h, t, z);              /* z^(2^252 - 3) */
}

/* f = g when bit is 1, f unchanged when it is 0 (bit must be 0 or 1). */
void fe_cmov(fe25519 f, const fe25519 g, uint32_t bit) {
  int32_t mask = -(int32_t)bit;
  int i;
  for (i = 0; i < 10; i++) f[i] ^= mask & (f[i] ^ g[i]);
}

/* 1 when f and g are the same field element, else 0, in constant time (canonical bytes). */
uint32_t fe_equal(const fe25519 f, const fe25519 g) {
  uint8_t a[32], b[32];
  uint32_t d = 0;
  int i;
  fe_to_bytes(a, f);
  fe_to_bytes(b, g);
  for (i = 0; i < 32; i++) d |= (uint32_t)(a[i] ^ b[i]);
  return ((d - 1) >> 8) & 1;
}

void fe_cswap(fe25519 f, fe25519 g, uint32_t bit) {
  int32_t mask = -(int32_t)bit;
  int i;
  for (i = 0; i < 10; i++) {
    int32_t x = mask & (f[i] ^ g[i]);
    f[i] ^= x;
    g[i] ^= x;
  }
}
