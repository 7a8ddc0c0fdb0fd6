/*
 * HMAC-SHA-256 (RFC 2104 §2; FIPS 198-1) and HKDF-SHA-256 (RFC 5869) as single kernel calls, on
 * one caller-owned buffer each (firstlight_accel.h). The same steps as firmware/crypto/hmac.ts and
 * hkdf.ts. The work runs in a frame of its own and the stack is wiped after it (stack-wipe.h).
 */
#include "firstlight_accel.h"
#include "hmac-sha256.h"
#include "stack-wipe.h"

/* Keys longer than a block are hashed first; the key block is XORed with 0x36, then 0x5c. */
void hmac_init(struct hmac_sha256 *h, const uint8_t *key, uint32_t key_len) {
  uint32_t i;
  for (i = 0; i < SHA256_BLOCK; i++) h->pad[i] = 0;
  if (key_len > SHA256_BLOCK) {
    sha256_init(&h->inner);
    sha256_update(&h->inner, key, key_len);
    sha256_final(&h->inner, h->pad);
  } else {
    for (i = 0; i < key_len; i++) h->pad[i] = key[i];
  }
  for (i = 0; i < SHA256_BLOCK; i++) h->pad[i] ^= 0x36;
  sha256_init(&h->inner);
  sha256_update(&h->inner, h->pad, SHA256_BLOCK);
  for (i = 0; i < SHA256_BLOCK; i++) h->pad[i] ^= 0x36 ^ 0x5c;
  sha256_init(&h->outer);
  sha256_update(&h->outer, h->pad, SHA256_BLOCK);
}

void hmac_update(struct hmac_sha256 *h, const uint8_t *m, uint32_t len) {
  sha256_update(&h->inner, m, len);
}

void hmac_final(struct hmac_sha256 *h, uint8_t out[SHA256_BYTES]) {
  sha256_final(&h->inner, h->ih);
  sha256_update(&h->outer, h->ih, SHA256_BYTES);
  sha256_final(&h->outer, out);
}

__attribute__((noinline)) static void hmac_work(uint8_t *buf, uint32_t key_len, uint32_t msg_len) {
  struct hmac_sha256 h;
  hmac_init(&h, buf, key_len);
  hmac_update(&h, buf + key_len, msg_len);
  hmac_final(&h, buf + key_len + msg_len);
}

void fl_hmac_sha256(uint8_t *buf, uint32_t key_len, uint32_t msg_len) {
  hmac_work(buf, key_len, msg_len);
  fl_stack_wipe();
}

struct hkdf {
  struct hmac_sha256 h;
  uint8_t prk[SHA256_BYTES];
  uint8_t t[SHA256_BYTES];
  uint8_t counter;
};

/*
 * RFC 5869 §2.2 PRK = HMAC(salt, IKM), §2.3 T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), OKM = the first
 * out_len bytes of T(1) ‖ T(2) ‖ …
 */
__attribute__((noinline)) static void hkdf_work(uint8_t *buf, uint32_t salt_len, uint32_t ikm_len, uint32_t info_len, uint32_t out_len) {
  struct hkdf s;
  const uint8_t *salt = buf, *ikm = buf + salt_len, *info = ikm + ikm_len;
  uint8_t *out = (uint8_t *)info + info_len;
  uint32_t done = 0, i, take;
  hmac_init(&s.h, salt, salt_len);
  hmac_update(&s.h, ikm, ikm_len);
  hmac_final(&s.h, s.prk);
  for (s.counter = 1; done < out_len; s.counter++) {
    hmac_init(&s.h, s.prk, SHA256_BYTES);
    if (s.counter > 1) hmac_update(&s.h, s.t, SHA256_BYTES);
    hmac_update(&s.h, info, info_len);
    hmac_update(&s.h, &s.counter, 1);
    hmac_final(&s.h, s.t);
    take = out_len - done < SHA256_BYTES ? out_len - done : SHA256_BYTES;
    for (i = 0; i < take; i++) out[done + i] = s.t[i];
    done += take;
  }
}

void fl_hkdf_sha256(uint8_t *buf, uint32_t salt_ikm_lens, uint32_t info_out_lens) {
  uint32_t out_len = info_out_lens >> 16;
  if (out_len > FL_HKDF_SHA256_MAX) return;
  hkdf_work(buf, salt_ikm_lens & 0xffff, salt_ikm_lens >> 16, info_out_lens & 0xffff, out_len);
  fl_stack_wipe();
}
