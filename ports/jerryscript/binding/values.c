/* JerryScript values <-> C for the binding (values.h). */
#include <string.h>
#include "values.h"

static const char *const STATUS_NAMES[] = { "", "BUSY", "FAIL", "SIZE", "ALIGN", "BITS", "OFF", "CLOSED" };

jerry_value_t fl_throw(jerry_error_t type, const char *code, const char *message) {
  jerry_value_t error = jerry_error_sz(type, message);
  fl_set(error, "code", jerry_string_sz(code));
  return jerry_throw_value(error, true);
}

void fl_set(jerry_value_t object, const char *name, jerry_value_t value) {
  jerry_value_free(jerry_object_set_sz(object, name, value));
  jerry_value_free(value);
}

bool fl_arg_uint(const jerry_value_t args[], jerry_length_t count, jerry_length_t i, double min, double max, uint32_t *out) {
  if (i >= count || !jerry_value_is_number(args[i])) return false;
  double v = jerry_value_as_number(args[i]);
  if (!(v >= min && v <= max) || v != (double) (uint32_t) v) return false;
  *out = (uint32_t) v;
  return true;
}

bool fl_arg_function(const jerry_value_t args[], jerry_length_t count, jerry_length_t i) {
  return i < count && jerry_value_is_function(args[i]);
}

uint8_t *fl_arg_bytes(const jerry_value_t args[], jerry_length_t count, jerry_length_t i, size_t *length) {
  if (i >= count || !jerry_value_is_typedarray(args[i])) return NULL;
  if (jerry_typedarray_type(args[i]) != JERRY_TYPEDARRAY_UINT8) return NULL;
  jerry_size_t offset = 0, n = 0;
  jerry_value_t buffer = jerry_typedarray_buffer(args[i], &offset, &n);
  uint8_t *data = jerry_arraybuffer_data(buffer);
  jerry_value_free(buffer);
  *length = n;
  if (n == 0) return (uint8_t *) "";
  return data ? data + offset : NULL;
}

bool fl_arg_string(const jerry_value_t args[], jerry_length_t count, jerry_length_t i, char *buf, size_t cap) {
  if (i >= count || !jerry_value_is_string(args[i])) return false;
  jerry_size_t n = jerry_string_size(args[i], JERRY_ENCODING_UTF8);
  if (n + 1 > cap) return false;
  jerry_string_to_buffer(args[i], JERRY_ENCODING_UTF8, (jerry_char_t *) buf, n);
  buf[n] = 0;
  return true;
}

jerry_value_t fl_new_bytes(const uint8_t *bytes, size_t n) {
  jerry_value_t array = jerry_typedarray(JERRY_TYPEDARRAY_UINT8, (jerry_length_t) n);
  if (jerry_value_is_exception(array) || n == 0) return array;
  jerry_size_t offset = 0, length = 0;
  jerry_value_t buffer = jerry_typedarray_buffer(array, &offset, &length);
  uint8_t *data = jerry_arraybuffer_data(buffer);
  jerry_value_free(buffer);
  if (data == NULL || length != n) {
    jerry_value_free(array);
    return fl_throw(JERRY_ERROR_RANGE, "NATIVE_NO_MEMORY", "no room for a byte array");
  }
  memcpy(data + offset, bytes, n);
  return array;
}

const char *fl_status_name(fl_status s) {
  if ((unsigned) s >= sizeof STATUS_NAMES / sizeof STATUS_NAMES[0]) return "FAIL";
  return STATUS_NAMES[s];
}

jerry_value_t fl_status_value(fl_status s) {
  if (s == FL_OK) return jerry_null();
  return jerry_string_sz(fl_status_name(s));
}

/* Appends a string value's UTF-8 bytes to buf (NUL-terminated, truncated to cap). */
static void append_string(jerry_value_t text, char *buf, size_t cap) {
  size_t used = strlen(buf);
  if (!jerry_value_is_string(text) || used + 1 >= cap) return;
  jerry_size_t n = jerry_string_to_buffer(text, JERRY_ENCODING_UTF8, (jerry_char_t *) buf + used, (jerry_size_t) (cap - 1 - used));
  buf[used + n] = 0;
}

void fl_describe(jerry_value_t value, char *buf, size_t cap) {
  jerry_value_t v = jerry_value_is_exception(value) ? jerry_exception_value(value, false) : jerry_value_copy(value);
  buf[0] = 0;
  if (jerry_value_is_object(v)) {
    jerry_value_t code = jerry_object_get_sz(v, "code");
    if (jerry_value_is_string(code)) {
      append_string(code, buf, cap);
      if (strlen(buf) + 3 < cap) strcat(buf, ": ");
    }
    jerry_value_free(code);
  }
  jerry_value_t text = jerry_value_to_string(v);
  append_string(text, buf, cap);
  jerry_value_free(text);
  jerry_value_free(v);
}
