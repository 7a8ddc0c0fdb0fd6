/*
 * AEAD_CHACHA20_POLY1305, RFC 8439 §2.8, on one caller-owned buffer (firstlight_accel.h):
 *   buf = key[32] ‖ nonce[12] ‖ aad[aad_len] ‖ text[len] ‖ tag[16]
 * Seal encrypts text in place and writes the tag; open recomputes the tag over the ciphertext,
 * compares it in constant time and only then decrypts in place, or wipes text and tag and returns 0.
 * The same steps as firmware/crypto/aead.ts. The work runs in a frame of its own and the stack is
 * wiped after it (stack-wipe.h); the key stays in buf for the caller to wipe.
 */
#include "firstlight_accel.h"
#include "chacha20.h"
#include "poly1305.h"
#include "stack-wipe.h"

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16

struct aead {
  struct chacha20 chacha;
  struct poly1305 mac;
  uint8_t otk[32];
  uint8_t tag[TAG_BYTES];
  uint8_t lens[16];
  uint8_t zeros[16];
};

static void wipe(uint8_t *p, uint32_t n) {
  volatile uint8_t *v = p;
  uint32_t i;
  for (i = 0; i < n; i++) v[i] = 0;
}

static void put_le64(uint8_t *p, uint32_t v) {
  int i;
  for (i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
  for (i = 4; i < 8; i++) p[i] = 0;
}

/* The pad16 of §2.8: zero bytes up to the next multiple of 16. */
static void mac_pad16(struct aead *s, uint32_t len) {
  if (len & 15) poly1305_update(&s->mac, s->zeros, 16 - (len & 15));
}

/* §2.8: the one-time key from block 0 (§2.6), then the MAC of aad ‖ pad ‖ ct ‖ pad ‖ lengths. */
static void tag_of(struct aead *s, const uint8_t *aad, uint32_t aad_len, const uint8_t *ct, uint32_t len) {
  int i;
  for (i = 0; i < 16; i++) s->zeros[i] = 0;
  chacha20_block(&s->chacha, 0);
  for (i = 0; i < 32; i++) s->otk[i] = s->chacha.stream[i];
  poly1305_init(&s->mac, s->otk);
  poly1305_update(&s->mac, aad, aad_len);
  mac_pad16(s, aad_len);
  poly1305_update(&s->mac, ct, len);
  mac_pad16(s, len);
  put_le64(s->lens, aad_len);
  put_le64(s->lens + 8, len);
  poly1305_update(&s->mac, s->lens, 16);
  poly1305_finish(&s->mac, s->tag);
}

/* Zero when the 16 bytes are equal, without a branch on them. */
static uint32_t tags_differ(const uint8_t *a, const uint8_t *b) {
  uint32_t d = 0;
  int i;
  for (i = 0; i < TAG_BYTES; i++) d |= (uint32_t)(a[i] ^ b[i]);
  return d;
}

__attribute__((noinline)) static void seal_work(uint8_t *buf, uint32_t aad_len, uint32_t len) {
  struct aead s;
  uint8_t *aad = buf + KEY_BYTES + NONCE_BYTES, *text = aad + aad_len;
  int i;
  chacha20_init(&s.chacha, buf, buf + KEY_BYTES);
  chacha20_xor(&s.chacha, 1, text, len);
  tag_of(&s, aad, aad_len, text, len);
  for (i = 0; i < TAG_BYTES; i++) text[len + i] = s.tag[i];
}

__attribute__((noinline)) static int open_work(uint8_t *buf, uint32_t aad_len, uint32_t len) {
  struct aead s;
  uint8_t *aad = buf + KEY_BYTES + NONCE_BYTES, *text = aad + aad_len;
  uint32_t differ;
  chacha20_init(&s.chacha, buf, buf + KEY_BYTES);
  tag_of(&s, aad, aad_len, text, len);
  differ = tags_differ(s.tag, text + len);
  /* The expected tag of a forgery is what a forger wants: s (tag included) goes with the stack wipe. */
  if (differ) {
    wipe(text, len + TAG_BYTES);
    return 0;
  }
  chacha20_xor(&s.chacha, 1, text, len);
  return 1;
}

void fl_aead_seal(uint8_t *buf, uint32_t aad_len, uint32_t len) {
  seal_work(buf, aad_len, len);
  fl_stack_wipe();
}

int fl_aead_open(uint8_t *buf, uint32_t aad_len, uint32_t len) {
  int ok = open_work(buf, aad_len, len);
  fl_stack_wipe();
  return ok;
}
