/*
 * The `firstlight_native` object (hal/jerryscript/native.ts, docs/jerryscript-binding.md): one
 * JavaScript function per platform call, arguments checked at the top.
 */
#ifndef FIRSTLIGHT_BINDING_NATIVE_H
#define FIRSTLIGHT_BINDING_NATIVE_H

#include "jerryscript.h"
#include "../platform.h"

#define FL_BINDING_VERSION 1

/* A new firstlight_native object. */
jerry_value_t fl_native_create(void);
/* Hands a link or pin event to the callbacks the firmware registered; exceptions go to report(). */
void fl_native_deliver(const fl_event *ev, void (*report)(jerry_value_t exception));
/* Frees every callback the binding holds (engine shutdown). */
void fl_native_release(void);

#endif
