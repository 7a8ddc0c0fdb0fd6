/* The native crypto kernel as functions of firstlight_native (accel.h, docs/jerryscript-binding.md).
 * Arguments are checked first (a TypeError with code NATIVE_BAD_ARGUMENT naming the call); the
 * kernel runs on the arrays' own bytes where its signature takes pointers (X25519, Elligator 2, the
 * hashes) and otherwise on a scratch block of the engine's heap laid out as firstlight_accel.h says,
 * which is zeroed before it is freed. Results the caller does not pass in come back as new arrays,
 * so the JavaScript side makes no copies. */
#include "accel.h"

#ifdef FL_WITH_ACCEL
#include <string.h>
#include "firstlight_accel.h"
#include "values.h"

#define AEAD_PREFIX (32 + 12)
#define AEAD_TAG 16
#define HKDF_PART_MAX 0xffff
/* The longest message any one-buffer call takes: far above a pairing's (at most 166 bytes). */
#define SCRATCH_MAX 65536

static jerry_value_t bad(const char *usage) {
  return fl_throw(JERRY_ERROR_TYPE, FL_CODE_BAD_ARGUMENT, usage);
}

static uint8_t *bytes_of_length(const jerry_value_t args[], jerry_length_t argc, jerry_length_t i, size_t want) {
  size_t n = 0;
  uint8_t *p = fl_arg_bytes(args, argc, i, &n);
  return p != NULL && n == want ? p : NULL;
}

/* A zeroed scratch block of n bytes from the engine's heap, or NULL (the heap is full). */
static uint8_t *scratch(size_t n) {
  uint8_t *p = n <= SCRATCH_MAX ? jerry_heap_alloc((jerry_size_t) n) : NULL;
  if (p != NULL) memset(p, 0, n);
  return p;
}

static void wipe(uint8_t *p, size_t n);

/* Zeroes the block, then frees it. */
static void scratch_free(uint8_t *p, size_t n) {
  wipe(p, n);
  jerry_heap_free(p, (jerry_size_t) n);
}

static jerry_value_t no_memory(void) {
  return fl_throw(JERRY_ERROR_RANGE, "NATIVE_NO_MEMORY", "no room for the kernel's work buffer");
}

static jerry_value_t x25519(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  uint8_t *out = bytes_of_length(args, argc, 0, 32), *scalar = bytes_of_length(args, argc, 1, 32), *point = bytes_of_length(args, argc, 2, 32);
  if (out == NULL || scalar == NULL || point == NULL) return bad("x25519(out, scalar, point): three 32-byte Uint8Arrays");
  fl_x25519(out, scalar, point);
  return jerry_undefined();
}

static jerry_value_t elligator2(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  uint8_t *out = bytes_of_length(args, argc, 0, 32), *r = bytes_of_length(args, argc, 1, 32);
  if (out == NULL || r == NULL) return bad("elligator2(out, r): two 32-byte Uint8Arrays");
  fl_elligator2(out, r);
  return jerry_undefined();
}

/* Zeroes n bytes through a volatile pointer (the stores must not be dropped). */
static void wipe(uint8_t *p, size_t n) {
  volatile uint8_t *v = p;
  size_t i;
  for (i = 0; i < n; i++) v[i] = 0;
}

/* sha256(msg) / sha512(msg): the digest as a new array; the kernel hashes msg where it lies. The
 * digest (of a key, it may be one) is wiped from this frame. */
static jerry_value_t hash(const jerry_value_t args[], jerry_length_t argc, size_t digest, const char *usage) {
  size_t n = 0;
  uint8_t *msg = fl_arg_bytes(args, argc, 0, &n), out[64];
  if (msg == NULL || n > 0xffffffffu) return bad(usage);
  if (digest == 32) fl_sha256(out, msg, (uint32_t) n);
  else fl_sha512(out, msg, (uint32_t) n);
  jerry_value_t r = fl_new_bytes(out, digest);
  wipe(out, sizeof out);
  return r;
}

static jerry_value_t sha256(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  return hash(args, argc, 32, "sha256(msg): a Uint8Array");
}

static jerry_value_t sha512(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  return hash(args, argc, 64, "sha512(msg): a Uint8Array");
}

/* Up to four Uint8Array arguments from `first` on; false when one is not. */
struct parts {
  uint8_t *p[4];
  size_t n[4];
  size_t total;
};

static bool parts_of(const jerry_value_t args[], jerry_length_t argc, jerry_length_t first, jerry_length_t count, struct parts *ps) {
  jerry_length_t i;
  ps->total = 0;
  for (i = 0; i < count; i++) {
    ps->p[i] = fl_arg_bytes(args, argc, first + i, &ps->n[i]);
    if (ps->p[i] == NULL) return false;
    ps->total += ps->n[i];
  }
  return true;
}

/* Copies parts 0..count-1 one after another into buf; returns the end. */
static size_t put_parts(uint8_t *buf, const struct parts *ps, jerry_length_t count) {
  size_t at = 0;
  jerry_length_t i;
  for (i = 0; i < count; i++) {
    memcpy(buf + at, ps->p[i], ps->n[i]);
    at += ps->n[i];
  }
  return at;
}

/* aeadSeal(key, nonce, plaintext, aad) -> ciphertext ‖ tag; aeadOpen(key, nonce, sealed, aad) ->
 * plaintext, or null when the tag does not verify (hal/accel.ts's order). The scratch holds
 * key ‖ nonce ‖ aad ‖ text ‖ tag (firstlight_accel.h). */
static jerry_value_t aead(const jerry_value_t args[], jerry_length_t argc, bool seal) {
  struct parts ps;
  if (!parts_of(args, argc, 0, 4, &ps) || ps.n[0] != 32 || ps.n[1] != 12 || (!seal && ps.n[2] < AEAD_TAG) || ps.total + AEAD_TAG > SCRATCH_MAX)
    return bad(seal ? "aeadSeal(key, nonce, plaintext, aad): Uint8Arrays, key 32 bytes, nonce 12, at most 65 536 bytes in all"
                    : "aeadOpen(key, nonce, sealed, aad): Uint8Arrays, key 32 bytes, nonce 12, sealed at least the 16-byte tag, at most 65 536 bytes in all");
  size_t aad = ps.n[3], text = AEAD_PREFIX + aad, len = seal ? ps.n[2] : ps.n[2] - AEAD_TAG;
  size_t size = ps.total + (seal ? AEAD_TAG : 0);
  uint8_t *buf = scratch(size);
  if (buf == NULL) return no_memory();
  memcpy(buf, ps.p[0], 32);
  memcpy(buf + 32, ps.p[1], 12);
  memcpy(buf + AEAD_PREFIX, ps.p[3], aad);
  memcpy(buf + text, ps.p[2], ps.n[2]);
  jerry_value_t r;
  if (seal) {
    fl_aead_seal(buf, (uint32_t) aad, (uint32_t) len);
    r = fl_new_bytes(buf + text, len + AEAD_TAG);
  } else {
    r = fl_aead_open(buf, (uint32_t) aad, (uint32_t) len) == 1 ? fl_new_bytes(buf + text, len) : jerry_null();
  }
  scratch_free(buf, size);
  return r;
}

static jerry_value_t aead_seal(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  return aead(args, argc, true);
}

static jerry_value_t aead_open(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  return aead(args, argc, false);
}

/* hmacSha256(key, msg) -> the 32-byte tag: key ‖ msg ‖ out in the scratch. */
static jerry_value_t hmac_sha256(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  struct parts ps;
  (void) info;
  if (!parts_of(args, argc, 0, 2, &ps) || ps.total + 32 > SCRATCH_MAX) return bad("hmacSha256(key, msg): two Uint8Arrays, at most 65 504 bytes together");
  size_t size = ps.total + 32;
  uint8_t *buf = scratch(size);
  if (buf == NULL) return no_memory();
  put_parts(buf, &ps, 2);
  fl_hmac_sha256(buf, (uint32_t) ps.n[0], (uint32_t) ps.n[1]);
  jerry_value_t r = fl_new_bytes(buf + ps.total, 32);
  scratch_free(buf, size);
  return r;
}

/* hkdfSha256(ikm, salt, info, length) -> length bytes of OKM (hal/accel.ts's order): salt ‖ ikm ‖
 * info ‖ out in the scratch. */
static jerry_value_t hkdf_sha256(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  struct parts ps;
  uint32_t length;
  uint8_t *ikm;
  size_t ikm_len;
  (void) info;
  if (!parts_of(args, argc, 0, 3, &ps) || !fl_arg_uint(args, argc, 3, 0, FL_HKDF_SHA256_MAX, &length) || ps.n[0] > HKDF_PART_MAX || ps.n[1] > HKDF_PART_MAX || ps.n[2] > HKDF_PART_MAX)
    return bad("hkdfSha256(ikm, salt, info, length): three Uint8Arrays of at most 65 535 bytes, length 0 … 8160");
  ikm = ps.p[0], ikm_len = ps.n[0];
  ps.p[0] = ps.p[1], ps.n[0] = ps.n[1];
  ps.p[1] = ikm, ps.n[1] = ikm_len;
  size_t size = ps.total + length + 1;
  uint8_t *buf = scratch(size);
  if (buf == NULL) return no_memory();
  put_parts(buf, &ps, 3);
  fl_hkdf_sha256(buf, (uint32_t) (ps.n[0] | ps.n[1] << 16), (uint32_t) (ps.n[2] | (size_t) length << 16));
  jerry_value_t r = fl_new_bytes(buf + ps.total, length);
  scratch_free(buf, size);
  return r;
}

/* K and V (32 bytes each) into the scratch's first 64 bytes, and back. */
static void state_in(uint8_t *buf, const uint8_t *k, const uint8_t *v) {
  memcpy(buf, k, 32);
  memcpy(buf + 32, v, 32);
}

static void state_out(const uint8_t *buf, uint8_t *k, uint8_t *v) {
  memcpy(k, buf, 32);
  memcpy(v, buf + 32, 32);
}

/* drbgUpdate(K, V, parts): HMAC_DRBG_Update with provided_data = the parts (an Array of at most
 * four Uint8Arrays) joined; K and V updated in place. */
static jerry_value_t drbg_update(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  static const char usage[] = "drbgUpdate(K, V, parts): K and V 32-byte Uint8Arrays, parts an Array of at most 4 Uint8Arrays (65 472 bytes in all)";
  struct parts ps;
  jerry_value_t items[4];
  jerry_length_t count, i;
  (void) info;
  uint8_t *k = bytes_of_length(args, argc, 0, 32), *v = bytes_of_length(args, argc, 1, 32);
  if (k == NULL || v == NULL || argc < 3 || !jerry_value_is_array(args[2]) || (count = jerry_array_length(args[2])) > 4) return bad(usage);
  for (i = 0; i < count; i++) items[i] = jerry_object_get_index(args[2], i);
  bool ok = parts_of(items, count, 0, count, &ps) && ps.total + 64 <= SCRATCH_MAX;
  uint8_t *buf = ok ? scratch(64 + ps.total) : NULL;
  if (buf != NULL) {
    state_in(buf, k, v);
    put_parts(buf + 64, &ps, count);
    fl_hmac_drbg_update(buf, (uint32_t) ps.total);
    state_out(buf, k, v);
    scratch_free(buf, 64 + ps.total);
  }
  for (i = 0; i < count; i++) jerry_value_free(items[i]);
  if (!ok) return bad(usage);
  return buf == NULL ? no_memory() : jerry_undefined();
}

/* drbgGenerate(K, V, n, additional) -> n bytes: one Generate request's steps 2-6; K, V in place. */
static jerry_value_t drbg_generate(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  struct parts ps;
  uint32_t n;
  (void) info;
  uint8_t *k = bytes_of_length(args, argc, 0, 32), *v = bytes_of_length(args, argc, 1, 32);
  if (k == NULL || v == NULL || !fl_arg_uint(args, argc, 2, 0, 65536, &n) || !parts_of(args, argc, 3, 1, &ps) || 64 + ps.total + n > SCRATCH_MAX)
    return bad("drbgGenerate(K, V, n, additional): K and V 32-byte Uint8Arrays, n 0 … 65 536, additional a Uint8Array, n and additional 65 472 bytes at most");
  size_t size = 64 + ps.total + n + 1;
  uint8_t *buf = scratch(size);
  if (buf == NULL) return no_memory();
  state_in(buf, k, v);
  put_parts(buf + 64, &ps, 1);
  fl_hmac_drbg_generate(buf, n, (uint32_t) ps.total);
  state_out(buf, k, v);
  jerry_value_t r = fl_new_bytes(buf + 64 + ps.total, n);
  scratch_free(buf, size);
  return r;
}

void fl_accel_register(jerry_value_t native_object) {
  fl_set(native_object, "x25519", jerry_function_external(x25519));
  fl_set(native_object, "elligator2", jerry_function_external(elligator2));
  fl_set(native_object, "aeadSeal", jerry_function_external(aead_seal));
  fl_set(native_object, "aeadOpen", jerry_function_external(aead_open));
  fl_set(native_object, "sha256", jerry_function_external(sha256));
  fl_set(native_object, "sha512", jerry_function_external(sha512));
  fl_set(native_object, "hmacSha256", jerry_function_external(hmac_sha256));
  fl_set(native_object, "hkdfSha256", jerry_function_external(hkdf_sha256));
  fl_set(native_object, "drbgUpdate", jerry_function_external(drbg_update));
  fl_set(native_object, "drbgGenerate", jerry_function_external(drbg_generate));
}
#else
void fl_accel_register(jerry_value_t native_object) {
  (void) native_object;
}
#endif
