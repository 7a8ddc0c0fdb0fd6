/*
 * firstlight's native crypto kernel: the C API.
 *
 * Portable C99, no libc, no globals, no heap. Every function takes caller-owned buffers and
 * wipes its own stack before it returns. Built three ways from the same sources:
 *   - for Cortex-M (arm-none-eabi-gcc -mthumb), into a position-independent blob that Espruino
 *     calls through E.nativeCall (docs/accel-blob.md);
 *   - for the host (gcc), where the tests run it against the vectors;
 *   - into a firmware that embeds an engine (the JerryScript port registers every entry below as
 *     a native function of firstlight_native; ports/jerryscript/binding/accel.c).
 * Link fe25519.c, x25519.c, elligator2.c, chacha20.c, poly1305.c, aead.c, sha256.c, sha512.c,
 * hash.c, hmac-sha256.c, hmac-drbg.c and stack-wipe.c; include only this header. The Espruino
 * blob carries the first eight entries (docs/accel-blob.md); fl_sha256 and fl_sha512 are for ports
 * without a native hash of their own (Espruino has require("crypto")).
 */
#ifndef FIRSTLIGHT_ACCEL_H
#define FIRSTLIGHT_ACCEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * X25519 (RFC 7748 §5): out = scalar · point on Curve25519's Montgomery form.
 * The scalar is clamped here (its bits 0-2 and 255 cleared, bit 254 set); bit 255 of the point is
 * ignored and non-canonical points are reduced, as RFC 7748 requires. Constant time in both inputs.
 * out may alias scalar or point. The all-zero output (a small-order point) is returned as is: the
 * caller rejects it (firmware/crypto/x25519.ts does).
 */
void fl_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t point[32]);

/*
 * The same with the base point u = 9: a public key from a secret scalar.
 */
void fl_x25519_base(uint8_t out[32], const uint8_t scalar[32]);

/*
 * Elligator 2 for Curve25519 (RFC 9380 §6.7.1, J = 486662, Z = 2), the u-coordinate only, as CPace
 * (draft-irtf-cfrg-cpace-21 §4.1) maps its generator: r is read little-endian with bit 255 cleared
 * and taken mod p; out is the canonical u. Constant time. out may alias r.
 */
void fl_elligator2(uint8_t out[32], const uint8_t r[32]);

/*
 * AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8) on one buffer, so that a caller passing addresses as
 * integers (Espruino's E.nativeCall) needs three arguments:
 *   buf = key[32] ‖ nonce[12] ‖ aad[aad_len] ‖ text[len] ‖ tag[16]
 * fl_aead_seal encrypts text in place and writes the tag after it.
 * fl_aead_open checks the tag over aad and the ciphertext in constant time; if it matches it
 * decrypts text in place and returns 1, else it zeroes text and tag and returns 0.
 * Neither touches the key and nonce (the caller wipes buf). No alignment needed.
 */
void fl_aead_seal(uint8_t *buf, uint32_t aad_len, uint32_t len);
int fl_aead_open(uint8_t *buf, uint32_t aad_len, uint32_t len);

/*
 * HMAC-SHA-256 (RFC 2104) in one call: buf = key[key_len] ‖ msg[msg_len] ‖ out[32]; keys longer
 * than 64 bytes are hashed first. out is written after the message.
 */
void fl_hmac_sha256(uint8_t *buf, uint32_t key_len, uint32_t msg_len);

/*
 * HKDF-SHA-256 (RFC 5869 Extract then Expand) in one call, lengths packed two to a word so that
 * three integers carry it: buf = salt ‖ ikm ‖ info ‖ out[out_len] with
 * salt_ikm_lens = salt_len | ikm_len << 16 and info_out_lens = info_len | out_len << 16.
 * Noise's HKDF(ck, ikm, n) is salt = ck, info empty, out_len = 32·n. An out_len above
 * FL_HKDF_SHA256_MAX (255·32) writes nothing.
 */
#define FL_HKDF_SHA256_MAX 8160
void fl_hkdf_sha256(uint8_t *buf, uint32_t salt_ikm_lens, uint32_t info_out_lens);

/*
 * HMAC_DRBG with SHA-256 (SP 800-90A §10.1.2), the working state K ‖ V at the start of buf:
 * fl_hmac_drbg_update: buf = K[32] ‖ V[32] ‖ data[len]; the Update function (§10.1.2.2) in place.
 * fl_hmac_drbg_generate: buf = K[32] ‖ V[32] ‖ additional[add_len] ‖ out[n]; one Generate request's
 * steps 2-6 (§10.1.2.5): Update(additional) if not empty, n bytes out, Update(additional). The
 * caller keeps the reseed counter and the request limits.
 */
void fl_hmac_drbg_update(uint8_t *buf, uint32_t len);
void fl_hmac_drbg_generate(uint8_t *buf, uint32_t n, uint32_t add_len);

/*
 * SHA-256 and SHA-512 (FIPS 180-4) of msg[0..len) into out (32 or 64 bytes), in one call each.
 * out may alias msg.
 */
void fl_sha256(uint8_t out[32], const uint8_t *msg, uint32_t len);
void fl_sha512(uint8_t out[64], const uint8_t *msg, uint32_t len);

/* The kernel's interface version; bumped when a signature above changes or one is added. */
#define FL_ACCEL_API_VERSION 4

#ifdef __cplusplus
}
#endif

#endif
