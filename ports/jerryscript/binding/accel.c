/* firstlight_native.x25519 (accel.h): arguments checked, the kernel called on the arrays' own
 * bytes (no copies of the scalar to wipe), nothing returned. */
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

void fl_accel_register(jerry_value_t native_object) {
  fl_set(native_object, "x25519", jerry_function_external(x25519));
}
#else
void fl_accel_register(jerry_value_t native_object) {
  (void) native_object;
}
#endif
