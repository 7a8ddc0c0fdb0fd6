/*
 * JerryScript values <-> C for the binding: argument checks that throw a JS error carrying a
 * `code` property, byte views of typed arrays, the NativeError strings (hal/jerryscript/native.ts).
 */
#ifndef FIRSTLIGHT_BINDING_VALUES_H
#define FIRSTLIGHT_BINDING_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "jerryscript.h"
#include "../platform.h"

/* The code every argument error carries (docs/jerryscript-binding.md). */
#define FL_CODE_BAD_ARGUMENT "NATIVE_BAD_ARGUMENT"

/* A thrown error of `type` whose message is `message` and whose `code` property is `code`. */
jerry_value_t fl_throw(jerry_error_t type, const char *code, const char *message);

/* True when args[i] exists and is a number with an integer value in [min, max]; *out gets it. */
bool fl_arg_uint(const jerry_value_t args[], jerry_length_t count, jerry_length_t i, double min, double max, uint32_t *out);
/* True when args[i] is a function. */
bool fl_arg_function(const jerry_value_t args[], jerry_length_t count, jerry_length_t i);
/* The bytes of a Uint8Array argument (a view into the engine's heap, valid during the call), or NULL. */
uint8_t *fl_arg_bytes(const jerry_value_t args[], jerry_length_t count, jerry_length_t i, size_t *length);
/* Copies a string argument of at most cap-1 bytes into buf; false when it is not a string or too long. */
bool fl_arg_string(const jerry_value_t args[], jerry_length_t count, jerry_length_t i, char *buf, size_t cap);

/* A fresh Uint8Array holding a copy of bytes (an exception value when the heap is full). */
jerry_value_t fl_new_bytes(const uint8_t *bytes, size_t n);
/* null for FL_OK, else the error's name ("BUSY", "FAIL", ...). */
jerry_value_t fl_status_value(fl_status s);
/* The name of a status, for logs. */
const char *fl_status_name(fl_status s);

/* Sets object[name] = value and frees value. */
void fl_set(jerry_value_t object, const char *name, jerry_value_t value);

/* Writes the message of an exception (or any value) into buf, NUL-terminated. */
void fl_describe(jerry_value_t value, char *buf, size_t cap);

#endif
