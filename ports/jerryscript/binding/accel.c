/* firstlight_native.x25519, aeadSeal and aeadOpen (accel.h): arguments checked, the kernel called
 * on the arrays' own bytes (no copies of the secrets to wipe). */
#include "accel.h"

#ifdef FL_WITH_ACCEL
#include "firstlight_accel.h"
#include "values.h"

static uint8_t *bytes32(const jerry_value_t args[], jerry_length_t argc, jerry_length_t i) {
  size_t n = 0;
  uint8_t *p = fl_arg_bytes(args, argc, i, &n);
  return p != NULL && n == 32 ? p : NULL;
}

static jerry_value_t x25519(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  (void) info;
  uint8_t *out = bytes32(args, argc, 0), *scalar = bytes32(args, argc, 1), *point = bytes32(args, argc, 2);
  if (out == NULL || scalar == NULL || point == NULL)
    return fl_throw(JERRY_ERROR_TYPE, FL_CODE_BAD_ARGUMENT, "x25519(out, scalar, point): three 32-byte Uint8Arrays");
  fl_x25519(out, scalar, point);
  return jerry_undefined();
}

/* The AEAD buffer key[32] || nonce[12] || aad || text || tag[16] (firstlight_accel.h); NULL unless
 * args are (Uint8Array, aadLen, len) and the array holds all of it. */
#define AEAD_OVERHEAD (32 + 12 + 16)
static uint8_t *aead_args(const jerry_value_t args[], jerry_length_t argc, uint32_t *aad_len, uint32_t *len) {
  size_t n = 0;
  uint8_t *p = fl_arg_bytes(args, argc, 0, &n);
  if (p == NULL || !fl_arg_uint(args, argc, 1, 0, 0xffffffff, aad_len) || !fl_arg_uint(args, argc, 2, 0, 0xffffffff, len)) return NULL;
  if (n < AEAD_OVERHEAD || (size_t)*aad_len > n - AEAD_OVERHEAD || (size_t)*len > n - AEAD_OVERHEAD - *aad_len) return NULL;
  return p;
}

static jerry_value_t aead_seal(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  uint32_t aad_len, len;
  uint8_t *buf = aead_args(args, argc, &aad_len, &len);
  (void) info;
  if (buf == NULL) return fl_throw(JERRY_ERROR_TYPE, FL_CODE_BAD_ARGUMENT, "aeadSeal(buf, aadLen, len): buf = key || nonce || aad || text || 16-byte tag");
  fl_aead_seal(buf, aad_len, len);
  return jerry_undefined();
}

static jerry_value_t aead_open(const jerry_call_info_t *info, const jerry_value_t args[], const jerry_length_t argc) {
  uint32_t aad_len, len;
  uint8_t *buf = aead_args(args, argc, &aad_len, &len);
  (void) info;
  if (buf == NULL) return fl_throw(JERRY_ERROR_TYPE, FL_CODE_BAD_ARGUMENT, "aeadOpen(buf, aadLen, len): buf = key || nonce || aad || ciphertext || 16-byte tag");
  return jerry_boolean(fl_aead_open(buf, aad_len, len) == 1);
}

void fl_accel_register(jerry_value_t native_object) {
  fl_set(native_object, "x25519", jerry_function_external(x25519));
  fl_set(native_object, "aeadSeal", jerry_function_external(aead_seal));
  fl_set(native_object, "aeadOpen", jerry_function_external(aead_open));
}
#else
void fl_accel_register(jerry_value_t native_object) {
  (void) native_object;
}
#endif
