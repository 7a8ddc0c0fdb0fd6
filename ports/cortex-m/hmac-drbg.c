/*
 * HMAC_DRBG with SHA-256 (SP 800-90A Rev. 1 §10.1.2): the Update function and one whole Generate
 * request as single kernel calls on one caller-owned buffer (firstlight_accel.h). The same steps as
 * firmware/entropy/drbg.ts, which keeps the request checks, the reseed counter and the entropy
 * source. The work runs in a frame of its own and the stack is wiped after it (stack-wipe.h).
 */
#include "firstlight_accel.h"
#include "hmac-sha256.h"
#include "stack-wipe.h"

struct drbg {
  struct hmac_sha256 h;
  uint8_t round;
};

/* §10.1.2.2: K = HMAC(K, V ‖ 0x00 ‖ data), V = HMAC(K, V), and again with 0x01 when data is not empty. */
static void drbg_update(struct drbg *s, uint8_t *k, uint8_t *v, const uint8_t *data, uint32_t len) {
  uint32_t rounds = len > 0 ? 2 : 1;
  for (s->round = 0; s->round < rounds; s->round++) {
    hmac_init(&s->h, k, SHA256_BYTES);
    hmac_update(&s->h, v, SHA256_BYTES);
    hmac_update(&s->h, &s->round, 1);
    hmac_update(&s->h, data, len);
    hmac_final(&s->h, k);
    hmac_init(&s->h, k, SHA256_BYTES);
    hmac_update(&s->h, v, SHA256_BYTES);
    hmac_final(&s->h, v);
  }
}

__attribute__((noinline)) static void update_work(uint8_t *buf, uint32_t len) {
  struct drbg s;
  drbg_update(&s, buf, buf + SHA256_BYTES, buf + 2 * SHA256_BYTES, len);
}

void fl_hmac_drbg_update(uint8_t *buf, uint32_t len) {
  update_work(buf, len);
  fl_stack_wipe();
}

/* §10.1.2.5 steps 2-6: Update(additional) if any, V = HMAC(K, V) per 32 bytes out, Update(additional). */
__attribute__((noinline)) static void generate_work(uint8_t *buf, uint32_t n, uint32_t add_len) {
  struct drbg s;
  uint8_t *k = buf, *v = buf + SHA256_BYTES, *add = buf + 2 * SHA256_BYTES, *out = add + add_len;
  uint32_t done = 0, i, take;
  if (add_len > 0) drbg_update(&s, k, v, add, add_len);
  while (done < n) {
    hmac_init(&s.h, k, SHA256_BYTES);
    hmac_update(&s.h, v, SHA256_BYTES);
    hmac_final(&s.h, v);
    take = n - done < SHA256_BYTES ? n - done : SHA256_BYTES;
    for (i = 0; i < take; i++) out[done + i] = v[i];
    done += take;
  }
  drbg_update(&s, k, v, add, add_len);
}

void fl_hmac_drbg_generate(uint8_t *buf, uint32_t n, uint32_t add_len) {
  generate_work(buf, n, add_len);
  fl_stack_wipe();
}
