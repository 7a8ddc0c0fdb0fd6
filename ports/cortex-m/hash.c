/*
 * One-shot SHA-256 and SHA-512 as kernel calls (firstlight_accel.h): what an engine port with no
 * native hash of its own calls for the firmware's one-shot hashes (firmware/crypto/md.ts). The work
 * runs in a frame of its own and the stack is wiped after it (stack-wipe.h): a hashed message may be
 * a secret (a key, an ECDH result).
 */
#include "firstlight_accel.h"
#include "sha256.h"
#include "sha512.h"
#include "stack-wipe.h"

__attribute__((noinline)) static void sha256_work(uint8_t *out, const uint8_t *msg, uint32_t len) {
  struct sha256 s;
  sha256_init(&s);
  sha256_update(&s, msg, len);
  sha256_final(&s, out);
}

void fl_sha256(uint8_t out[32], const uint8_t *msg, uint32_t len) {
  sha256_work(out, msg, len);
  fl_stack_wipe();
}

__attribute__((noinline)) static void sha512_work(uint8_t *out, const uint8_t *msg, uint32_t len) {
  struct sha512 s;
  sha512_oneshot(&s, msg, len, out);
}

void fl_sha512(uint8_t out[64], const uint8_t *msg, uint32_t len) {
  sha512_work(out, msg, len);
  fl_stack_wipe();
}
